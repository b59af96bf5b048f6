/**
 * Entry of dist/image.cjs (scripts/bundle-commands.mjs): `image NAME` alone, with the Docker
 * client and the layer analysis, compiled from V8's code cache as dist/commands.cjs is. Apart
 * from report and plan so that its start reads and evaluates only what it runs (issue 15).
 */
export {runImage} from './run-image.js';
