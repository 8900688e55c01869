// Entry of the public respondent page, kept to about a kilobyte: the browser fetches a page's module
// script as soon as it sees it, and fetching and compiling the whole app then would compete with parsing and
// laying out the server-rendered first question. The app itself (start.tsx) is imported once this runs,
// which a module script does after the page is parsed. The stylesheets are imported here so the build
// links them from the page, where the server inlines them
// (in the order the app had them: the form's, then the page frame's).
import './survey.css';
import './page.css';

void import('./start.tsx');
