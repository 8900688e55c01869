// Entry of the staff app (web/index.html). The public respondent page never imports anything from here.
import { render } from 'solid-js/web';
import { App } from './App.tsx';
import './staff.css';

render(() => <App />, document.getElementById('root')!);
