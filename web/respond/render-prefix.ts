/** Names and ids of the server-rendered form's controls start with this; main.tsx reads early answers by it. */
export const serverIdPrefix = 'sv0';
