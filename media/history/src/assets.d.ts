/** Stylesheets imported for their side effect: esbuild emits them as history.css next to the script. */
declare module '*.css';
