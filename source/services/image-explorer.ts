/**
 * Loads one image's layers (the layer store on disk when readable, else the export stream)
 * and analyses them: dive's figures, invisible bytes, findings, containers and shared layers.
 */
import {accessSync, constants, readFileSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import type {DockerClient} from '../adapters/docker/docker-client.js';
import {exportImage} from '../adapters/docker/image-export.js';
import {layerDirsOf} from '../adapters/docker/image-layers.js';
import {listLayerDirs} from '../adapters/docker/image-store-list.js';
import {analyzeImage, ImageStacker, layerInputOf, type ImageAnalysis, type LayerInput} from '../domain/image-analysis.js';
import {historyFindings, layerFindings, type HistoryStep, type ImageFinding} from '../domain/image-findings.js';
import {mapLimit} from '../lib/map-limit.js';

export interface ImageUser {
	id: string;
	name: string;
	state: string;
}

export interface SharedLayers {
	image: string;
	imageId: string;
	/** Layers shared, counted from the bottom (layers are shared as a chain). */
	layers: number;
	bytes: number;
}

export interface ImageReport extends Omit<ImageAnalysis, 'deleted' | 'overwritten'> {
	image: string;
	imageId: string;
	tags: string[];
	/** Where the layer contents were read from. */
	source: 'store' | 'export';
	sourceDetail: string;
	findings: ImageFinding[];
	usedBy: ImageUser[];
	sharedLayers: SharedLayers[];
	warnings: string[];
}

export interface LoadedImage {
	report: ImageReport;
	/** The per-layer listings, for the console's layer trees. */
	layers: LayerInput[];
}

export function imageError(message: string, hint: string): Error {
	return Object.assign(new Error(message), {hint, exitCode: 2});
}

interface ConfigHistory {
	created_by?: string;
	empty_layer?: boolean;
}

/** createdBy of each layer (oldest first) from the config's history, skipping empty_layer steps. */
export function layerCommands(history: readonly ConfigHistory[] | undefined, layerCount: number): string[] {
	const withLayer = (history ?? []).filter(h => !h.empty_layer).map(h => h.created_by ?? '');
	const out = withLayer.slice(0, layerCount);
	while (out.length < layerCount) out.push('');
	return out;
}

function historySteps(history: readonly ConfigHistory[] | undefined, layers: ImageAnalysis['layers']): HistoryStep[] {
	let next = 0;
	return (history ?? []).map(h => {
		const layer = h.empty_layer ? null : next < layers.length ? next++ : null;
		return {createdBy: h.created_by ?? '', bytes: layer === null ? 0 : layers[layer]!.bytes, layer};
	});
}

const readable = (dir: string) => {
	try {
		accessSync(dir, constants.R_OK | constants.X_OK);
		return true;
	} catch {
		return false;
	}
};

export interface LoadOptions {
	/** 'auto' (default): the store when readable, else the export stream. */
	source?: 'auto' | 'store' | 'export';
	signal?: AbortSignal;
	/** The image's inspect asked for ahead: its body, or null to ask the client (which gives the usual errors). */
	inspected?: Promise<unknown>;
	/** The container list (all) and the image list asked for ahead, as `inspected`. */
	containers?: Promise<unknown>;
	images?: Promise<unknown>;
}

/** What an image reference or id can hold (a repository, a tag, a digest, an id); anything else is refused before the engine is asked. */
const imageReference = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/;

export async function loadImage(client: DockerClient, wanted: string, options: LoadOptions = {}): Promise<LoadedImage> {
	if (!imageReference.test(wanted) || wanted.length > 512) {
		// One line: what the name holds besides line breaks is escaped where errors are shown (formatError).
		throw imageError(`"${wanted.slice(0, 120).replace(/[\r\n]+/g, ' ')}" is not an image name or id`, '`docker images` lists them; give a name:tag or an id');
	}
	let detail: any;
	try {
		detail = await client.call('inspect image', async (d: any) => (await options.inspected) ?? d.getImage(wanted).inspect());
	} catch (error) {
		if ((error as {statusCode?: number}).statusCode === 404 || /no such image|404/i.test(String((error as Error).message))) {
			throw imageError(`no image named ${wanted} on ${client.endpoint.display}`, '`docker images` lists them; give a name:tag or an id');
		}
		throw error;
	}
	const id: string = detail.Id;
	const diffIds: string[] = detail.RootFS?.Layers ?? [];
	const warnings: string[] = [];
	let inputs: LayerInput[] | null = null;
	let source: ImageReport['source'] = 'store';
	let sourceDetail = '';
	let config: {history?: ConfigHistory[]} | null = null;
	let analysis: ImageAnalysis | undefined;
	const want = options.source ?? 'auto';
	// The containers and the other images' layer chains are asked for while the layers are read
	// (once the finds that read them have started: they are what the command waits for). The
	// two lists come from options when `image NAME` asked for them with the inspect.
	let queries: {usedBy: Promise<ImageUser[]>; chains: Promise<Array<Omit<SharedLayers, 'bytes'>>>} | undefined;
	/** The engine's image configs on this host (<root>/image/overlay2/imagedb/content/sha256), when the layer store is read. */
	let configDir: string | undefined;
	const ask = () => {
		if (queries) return queries;
		queries = {usedBy: containersOf(client, id, options.containers), chains: sharedChains(client, id, diffIds, options.images, configDir)};
		queries.usedBy.catch(() => {});
		queries.chains.catch(() => {});
		return queries;
	};

	if (want !== 'export' && client.endpoint.local) {
		const dirs = layerDirsOf(detail);
		let why = '';
		if (!dirs) why = `the image is on the ${detail.GraphDriver?.Name ?? 'unknown'} driver, not overlay2`;
		else if (dirs.length !== diffIds.length) why = `${dirs.length} layer directories for ${diffIds.length} layers`;
		else if (!dirs.every(readable)) why = 'the layer directories are not readable (run as root)';
		if (!why) {
			// The config (history) is read while the layers are listed: from the engine's root, which
			// the layer directories name (<root>/overlay2/<layer>/diff), else from /info (which makes
			// dockerd run `runc --version` and `docker-init --version`, on the cores the listing uses).
			const configsIn = (root: string) => join(root, 'image', 'overlay2', 'imagedb', 'content', 'sha256');
			const configOf = (dir: string) => JSON.parse(readFileSync(join(dir, id.replace(/^sha256:/, '')), 'utf8'));
			try {
				configDir = configsIn(engineRootOf(dirs!.at(-1)!));
			} catch {
				configDir = undefined;
			}
			const named = configDir;
			const configRead = Promise.resolve()
				.then(() => {
					if (named === undefined) throw new Error('the layer directories name no engine root');
					return configOf(named);
				})
				.catch(() => client.call('info', (d: any) => d.info()).then((info: any) => configOf(configsIn(info.DockerRootDir))))
				.catch(() => null);
			try {
				// Every layer directory in one pass (a few find processes), then one tar for the opaque xattrs.
				// Each layer is stacked as soon as it and those below it are read, as if no directory
				// were opaque: when one is, the layers are stacked again once that is known.
				const early = new ImageStacker();
				const listing = listLayerDirs(dirs!, {signal: options.signal, onLayer: (i, columns) => early.add(layerInputOf(diffIds[i]!, '', columns, []))});
				ask();
				const listed = await listing;
				config = await configRead;
				const commands = layerCommands(config?.history, diffIds.length);
				if (!listed.opaqueAvailable) warnings.push('opaque directories could not be read (GNU tar with --xattrs is missing): deletions by `rm -rf dir && mkdir dir` are not seen');
				inputs = listed.layers.map((layer, i) => layerInputOf(diffIds[i]!, commands[i]!, layer.columns, layer.opaqueDirs, layer.opaqueNodes));
				if (listed.layers.every(layer => layer.opaqueDirs.length === 0)) {
					analysis = early.finish();
					analysis.layers.forEach((layer, i) => {
						layer.createdBy = commands[i]!;
					});
				} else listed.layers[0]?.columns.stack?.resetAnalysis();
				sourceDetail = `layer store on this host (overlay2 diff directories under ${sanitizeDir(dirs![0]!)})`;
			} catch (error) {
				if ((error as Error).name === 'AbortError') throw error;
				await configRead;
				why = (error as Error).message;
				inputs = null;
			}
		}
		if (!inputs) {
			if (want === 'store') throw imageError(`cannot read the layer store: ${why}`, 'run as root on the engine host, or drop --source store');
			sourceDetail = `export stream (GET /images/{name}/get): ${why}`;
		}
	} else if (!inputs) {
		if (want === 'store') throw imageError(`the engine at ${client.endpoint.display} is not on this host`, 'run layerscope on the engine host, or drop --source store');
		sourceDetail = want === 'export' ? 'export stream (GET /images/{name}/get), as asked' : `export stream (GET /images/{name}/get): the engine is remote`;
	}
	if (!inputs) {
		source = 'export';
		ask();
		const exported = await exportImage(client, id, options.signal);
		config = exported.config;
		const commands = layerCommands(config?.history, exported.layerNames.length);
		inputs = exported.layerNames.map((name, i) => {
			const listing = exported.layers.get(name);
			if (!listing) throw new Error(`the image export lacks layer ${name}`);
			return {digest: diffIds[i] ?? name, createdBy: commands[i]!, entries: listing.entries, opaqueDirs: listing.opaqueDirs};
		});
	}

	analysis ??= analyzeImage(inputs);
	const {deleted, overwritten, ...figures} = analysis;
	const findings = [...historyFindings(historySteps(config?.history, analysis.layers)), ...layerFindings(deleted, overwritten)];
	const {usedBy: usedByP, chains: chainsP} = ask();
	const [usedBy, chains] = await Promise.all([usedByP, chainsP]);
	const sharedLayers = chains
		.map(s => ({...s, bytes: analysis.layers.slice(0, s.layers).reduce((t, l) => t + l.bytes, 0)}))
		// Ties by name: the other images' inspects answer in any order.
		.sort((a, b) => b.bytes - a.bytes || (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
	const tags: string[] = detail.RepoTags ?? [];
	return {
		report: {image: tags[0] ?? id.slice(7, 19), imageId: id, tags, source, sourceDetail, ...figures, findings, usedBy, sharedLayers, warnings: [...new Set(warnings)]},
		layers: inputs,
	};
}

const sanitizeDir = (dir: string) => dir.replace(/\/[^/]+\/diff$/, '');

/** The engine's root directory from one overlay2 layer directory (<root>/overlay2/<layer>/diff); throws when it is not shaped so. */
export function engineRootOf(diffDir: string): string {
	const layer = dirname(diffDir);
	const driver = dirname(layer);
	if (basename(diffDir) !== 'diff' || basename(driver) !== 'overlay2') throw new Error(`${diffDir} is not <root>/overlay2/<layer>/diff`);
	return dirname(driver);
}

/** A list asked for ahead when it came (an array), else asked for now. */
async function listOf(ahead: Promise<unknown> | undefined, ask: () => Promise<any[]>): Promise<any[]> {
	const given = await ahead;
	return Array.isArray(given) ? given : ask();
}

async function containersOf(client: DockerClient, id: string, ahead?: Promise<unknown>): Promise<ImageUser[]> {
	const list = await listOf(ahead, () => client.call('list containers', (d: any) => d.listContainers({all: true})));
	return list.filter(c => c.ImageID === id).map(c => ({id: c.Id, name: String(c.Names?.[0] ?? '').replace(/^\//, ''), state: c.State ?? ''}));
}

/**
 * Other images whose layer chain starts like this one's, with the number of layers shared. A
 * layer's chain id is a hash of the diff ids up to it, so two images share their first n
 * layers exactly when their first n diff ids are the same: compared as they are, with no
 * hashing and no node:crypto to load.
 */
async function sharedChains(client: DockerClient, id: string, mine: readonly string[], ahead?: Promise<unknown>, configDir?: string): Promise<Array<Omit<SharedLayers, 'bytes'>>> {
	const images = await listOf(ahead, () => client.call('list images', (d: any) => d.listImages({all: false})));
	const shared = (image: any, theirs: readonly string[]): Omit<SharedLayers, 'bytes'> | null => {
		let n = 0;
		while (n < mine.length && n < theirs.length && mine[n] === theirs[n]) n++;
		if (n === 0) return null;
		return {image: image.RepoTags?.[0] && image.RepoTags[0] !== '<none>:<none>' ? image.RepoTags[0] : image.Id.slice(7, 19), imageId: image.Id, layers: n};
	};
	const found: Array<Omit<SharedLayers, 'bytes'>> = [];
	// Each image's diff ids from its config on disk when the store is read, every image (an
	// inspect per image made dockerd work on the cores the finds need: with 100 other images
	// the command took 224 ms, 192 from disk), a batch per turn of the event loop so that the
	// finds' output is read in between. The engine is asked for the others, the newest 500.
	const ask: any[] = [];
	let read = 0;
	for (const image of images) {
		if (image.Id === id) continue;
		if (configDir !== undefined) {
			if (read++ % DISK_BATCH === 0) await new Promise(setImmediate);
			const theirs = diffIdsOf(configDir, image.Id);
			if (theirs) {
				const s = shared(image, theirs);
				if (s) found.push(s);
				continue;
			}
		}
		if (ask.length < ASKED_AT_MOST) ask.push(image);
	}
	const asked = await mapLimit(ask, 8, async image => {
		try {
			const detail: any = await client.call('inspect image', (d: any) => d.getImage(image.Id).inspect());
			return shared(image, detail.RootFS?.Layers ?? []);
		} catch {
			return null;
		}
	});
	for (const s of asked) if (s) found.push(s);
	return found;
}

/** Image configs read from disk per turn of the event loop (sharedChains). */
const DISK_BATCH = 16;
/** Images whose layers are asked of the engine at most (sharedChains), the newest first as it lists them. */
const ASKED_AT_MOST = 500;

/**
 * An image's diff ids from its config in the engine's image store (`dir`/<hex of its id>), or
 * null when that cannot be read. Only the "diff_ids" array is parsed: in JSON that key with its
 * quotes cannot occur inside a string (quotes there are escaped).
 */
export function diffIdsOf(dir: string, imageId: unknown): string[] | null {
	if (typeof imageId !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(imageId)) return null;
	let text: string;
	try {
		text = readFileSync(join(dir, imageId.slice(7)), 'latin1');
	} catch {
		return null;
	}
	const key = /"diff_ids"\s*:\s*\[/.exec(text);
	const end = key ? text.indexOf(']', key.index) : -1;
	if (!key || end < 0) return null;
	try {
		const ids: unknown = JSON.parse(text.slice(key.index + key[0].length - 1, end + 1));
		return Array.isArray(ids) && ids.every(x => typeof x === 'string') ? (ids as string[]) : null;
	} catch {
		return null;
	}
}
