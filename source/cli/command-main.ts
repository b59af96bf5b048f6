/**
 * Entry of dist/commands.cjs (scripts/bundle-commands.mjs): `report` and `plan` with the
 * engine clients in one file that V8 caches compiled (console-bundle.ts), as the console's
 * first frame is (issue 18). Nothing here is loaded by the console.
 */
export {runReport} from './run-report.js';
export {runPlan} from './run-plan.js';
