// One cold analysis timed in-process (bench/image.mjs, method `inProcess`): a fresh Node process
// loads the service modules untimed, then times loadImage() (services/image-explorer.ts) from the
// call to the report, with a new client: the inspect, the listing of every layer directory, the
// opaque xattrs, the analysis, the containers and the shared layers. What the console runs when
// the operator presses `i`, without the process start and module loading of `layerscope image`.
// Usage: node bench/lib/image-inprocess.mjs DIST_DIR IMAGE   (DOCKER_HOST set; prints JSON)
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';

const [distDir, image] = process.argv.slice(2);
const load = rel => import(pathToFileURL(join(distDir, rel)).href);
const {DockerClient} = await load('source/adapters/docker/docker-client.js');
const {resolveDockerEndpoint} = await load('source/adapters/docker/endpoint.js');
const {loadImage} = await load('source/services/image-explorer.js');
const start = process.hrtime.bigint();
const client = new DockerClient(resolveDockerEndpoint(process.env.DOCKER_HOST), 60_000);
const {report} = await loadImage(client, image, {source: 'store'});
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(JSON.stringify({seconds, report}) + '\n');
process.exit(0);
