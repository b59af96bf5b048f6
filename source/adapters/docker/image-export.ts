/**
 * An image's layers read from the engine's export stream (GET /images/{name}/get: a tar of
 * layer tars, manifest.json and the config), when the layer store is not readable here.
 * Streams: only the file list of each layer is kept, never file contents.
 */
import type {Readable} from 'node:stream';
import type {LayerEntry} from '../../domain/image-analysis.js';
import {nameTextOf} from '../../domain/image-layer-stack.js';
import type {DockerClient} from './docker-client.js';
import {isTarHeader, TarReader, type TarHeader, type TarSink} from './tar-reader.js';

export interface LayerListing {
	entries: LayerEntry[];
	opaqueDirs: string[];
}

/** Raw name bytes as a string: UTF-8 when valid, else one char per byte (the store walk does the same). */
export function nameText(raw: Uint8Array | string): string {
	return typeof raw === 'string' ? raw : nameTextOf(raw);
}

const clean = (name: string) =>
	'/' +
	name
		.split('/')
		.filter(p => p !== '' && p !== '.')
		.join('/');

/** One layer tar's headers as entries: .wh. files become whiteouts, .wh..wh..opq marks its directory opaque. */
export class LayerTarListing {
	readonly listing: LayerListing = {entries: [], opaqueDirs: []};
	readonly reader = new TarReader(header => {
		this.add(header);
		return null;
	});

	private add(h: TarHeader): void {
		const path = clean(nameText(h.name));
		if (path === '/') return;
		const slash = path.lastIndexOf('/');
		const dir = path.slice(0, slash) || '/';
		const base = path.slice(slash + 1);
		if (base.startsWith('.wh..wh.')) {
			if (base === '.wh..wh..opq') this.listing.opaqueDirs.push(dir);
			return;
		}
		if (base.startsWith('.wh.')) {
			this.listing.entries.push({path: `${dir === '/' ? '' : dir}/${base.slice(4)}`, type: 'whiteout', bytes: 0});
			return;
		}
		const type = h.type === '5' ? 'dir' : h.type === '0' || h.type === '1' || h.type === '7' ? 'file' : h.type === '2' ? 'symlink' : 'other';
		this.listing.entries.push({path, type, bytes: type === 'dir' ? 0 : h.size});
	}
}

export interface ExportedImage {
	/** Layer tar names in manifest order (oldest first). */
	layerNames: string[];
	layers: Map<string, LayerListing>;
	config: any;
}

const MAX_JSON = 32 * 1024 * 1024;

/** Parses an image export stream (docker save format or OCI layout). */
export async function readExportStream(stream: Readable): Promise<ExportedImage> {
	const layers = new Map<string, LayerListing>();
	const files = new Map<string, Buffer>();
	const links = new Map<string, string>();
	const outer = new TarReader((h): TarSink | null => {
		const name = clean(nameText(h.name)).slice(1);
		if (h.type === '2' || h.type === '1') {
			const target = nameText(h.linkName);
			links.set(name, h.type === '2' ? clean(name.split('/').slice(0, -1).concat(target).join('/')).slice(1) : clean(target).slice(1));
			return null;
		}
		if (h.type !== '0') return null;
		let head: Buffer[] = [];
		let headBytes = 0;
		let inner: LayerTarListing | null = null;
		let json: Buffer[] | null = null;
		let jsonBytes = 0;
		const decide = () => {
			const block = Buffer.concat(head);
			if (isTarHeader(block)) {
				inner = new LayerTarListing();
				inner.reader.push(block);
			} else {
				json = [block];
				jsonBytes = block.length;
			}
			head = [];
		};
		return {
			data(chunk) {
				if (inner) return inner.reader.push(chunk);
				if (json) {
					if (jsonBytes < MAX_JSON) json.push(Buffer.from(chunk));
					jsonBytes += chunk.length;
					return;
				}
				head.push(Buffer.from(chunk));
				headBytes += chunk.length;
				if (headBytes >= 512) decide();
			},
			end() {
				if (!inner && !json) decide();
				if (inner) layers.set(name, (inner as LayerTarListing).listing);
				else if (json && jsonBytes <= MAX_JSON) files.set(name, Buffer.concat(json));
			},
		};
	});
	for await (const chunk of stream) outer.push(chunk as Buffer);
	for (const [name, target] of links) if (layers.has(target)) layers.set(name, layers.get(target)!);
	const manifest = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? 'null') as Array<{Config: string; Layers: string[]}> | null;
	if (!manifest?.[0]) throw new Error('the image export has no manifest.json');
	const configRaw = files.get(manifest[0].Config);
	return {layerNames: manifest[0].Layers, layers, config: configRaw ? JSON.parse(configRaw.toString('utf8')) : null};
}

/**
 * The export stream of one image from the engine. The engine writes the whole archive
 * before its first byte for a large image, so the first answer may take minutes: the
 * deadline is at least 10 minutes. `signal` (leaving the view) aborts the request.
 */
export async function exportImage(client: DockerClient, id: string, signal?: AbortSignal): Promise<ExportedImage> {
	const controller = new AbortController();
	const abort = () => controller.abort();
	signal?.addEventListener('abort', abort);
	try {
		const stream = await client.call<Readable>(
			'export image',
			(d: any, callSignal) => {
				callSignal.addEventListener('abort', abort);
				return new Promise((resolve, reject) =>
					d.modem.dial(
						{path: `/images/${encodeURIComponent(id)}/get`, method: 'GET', isStream: true, abortSignal: controller.signal, statusCodes: {200: true, 404: 'no such image', 500: 'server error'}},
						(error: Error | null, data: Readable) => (error ? reject(error) : resolve(data)),
					),
				);
			},
			{timeoutMs: Math.max(client.timeoutMs, 600_000)},
		);
		controller.signal.addEventListener('abort', () => stream.destroy(new Error('export aborted')));
		return await readExportStream(stream);
	} finally {
		signal?.removeEventListener('abort', abort);
	}
}
