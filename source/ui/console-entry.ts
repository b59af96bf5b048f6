/**
 * Everything the console needs from Ink and React, from one module. The build bundles
 * this file (scripts/bundle-ui.mjs) so a cold start loads one file instead of hundreds;
 * cli/launch-console.ts falls back to it unbundled (tests, or a build without the bundle).
 */
export {render} from 'ink';
export {createElement} from 'react';
export {App} from './app.js';
export {CrashBoundary} from './components/crash-boundary.js';
export {colourlessStream, noColorWanted} from './no-color.js';
