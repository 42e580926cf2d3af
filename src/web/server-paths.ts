/** Paths the server itself answers; every other GET is a dashboard route and gets index.html. */
export const SERVER_PATHS = /^\/(api|agent|live|metrics|docs|docs-json|docs-yaml)(\/|$)/;
