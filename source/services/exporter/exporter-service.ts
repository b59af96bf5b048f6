import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {EvictionThresholds} from '../../domain/eviction.js';
import type {ConsoleFeed} from '../console-feed.js';
import {CriFeed} from '../cri-feed.js';
import type {EngineSource} from '../engines.js';
import {SampleWorker} from '../sample-worker-client.js';
import {DockerSampler} from '../sampler.js';
import {watchDocker} from '../watch-docker.js';
import {engineName, ExporterMetrics, type EngineView} from './exporter-metrics.js';

export interface ExporterOptions {
	intervalMs: number;
	dfTimeoutMs: number;
	thresholds: EvictionThresholds;
	/** Constant labels on every series (the node's name). */
	defaultLabels?: Record<string, string>;
}

interface Watched {
	feed: ConsoleFeed & {start(): void; stop(): Promise<void>};
	view: EngineView;
	/** When the current CRI sample was sent; cleared when it completes. */
	cycleStart?: number;
}

/**
 * Counts each engine's failed reads from the outside: the Docker client's `call` and a CRI
 * source's `scan` are wrapped (the sampler's own code is not touched). A CRI sample is one
 * `scan`, so its duration is timed here too; a Docker sample is timed by wrapping the
 * sampler's own passes (see `timeDockerSamples`), because the event stream's targeted reads
 * go through the same client between samples.
 */
function watchSource(source: EngineSource, watched: () => Watched, onError: () => void): void {
	if (source.docker) {
		const client = source.docker.client;
		const call = client.call.bind(client);
		client.call = (async (...args: Parameters<typeof call>) => {
			try {
				return await call(...args);
			} catch (error) {
				onError();
				throw error;
			}
		}) as typeof client.call;
	} else {
		const scan = source.scan.bind(source);
		source.scan = async options => {
			const w = watched();
			w.cycleStart = Date.now();
			try {
				return await scan(options);
			} catch (error) {
				onError();
				throw error;
			}
		};
	}
}

/** Times the Docker sampler's full scans and passes (not the event stream's reads between them). */
function timeDockerSamples(sampler: DockerSampler, done: (seconds: number) => void): void {
	for (const method of ['fullScan', 'sample'] as const) {
		const pass = sampler[method].bind(sampler);
		sampler[method] = async () => {
			const started = Date.now();
			await pass();
			done(Math.max(0, Date.now() - started) / 1000);
		};
	}
}

/**
 * `layerscope exporter`: the console's sampler feeds, and a Prometheus registry rebuilt
 * after each sample. /metrics renders what the last samples found (it never waits for a
 * walk); /healthz says whether every engine answered its last sample. Read-only by
 * construction: nothing here can reach services/mutations.ts.
 */
export class ExporterService {
	readonly metrics: ExporterMetrics;
	private readonly watched: Watched[] = [];
	private server: Server | undefined;
	private pending = false;
	/** The views the registry was last rebuilt from. */
	private built: EngineView[] = [];

	constructor(
		readonly sources: EngineSource[],
		readonly options: ExporterOptions,
	) {
		this.metrics = new ExporterMetrics({defaultLabels: options.defaultLabels});
		// One walker thread for every engine: seconds between samples leave it time, and each
		// thread's heap and runtime cost memory (about 10 MiB each).
		const walker = new SampleWorker(undefined, undefined, 1);
		this.metrics.walkerHeaps = () => walker.heaps();
		let walkerUsed = false;
		for (const source of sources) {
			const sampler = source.docker
				? new DockerSampler(source.docker, {
						intervalMs: options.intervalMs,
						dfTimeoutMs: options.dfTimeoutMs,
						thresholds: options.thresholds,
						// A file growing in place shows within 5 min: enough for alerts that look an hour
						// ahead, at a sixth of the console's re-stat cost.
						sweepMs: 300_000,
						worker: walkerUsed ? walker.share() : ((walkerUsed = true), walker),
					})
				: undefined;
			// Docker and Podman follow the engine's /events stream (reads only): a destroyed
			// container's series leave at once, and a broken stream marks the engine down at once.
			const feed = sampler && source.docker ? watchDocker(source.docker, sampler) : new CriFeed(source, {intervalMs: options.intervalMs, thresholds: options.thresholds});
			const w: Watched = {feed, view: {fallbackName: source.cri?.id ?? source.kind, state: feed.getState(), lastSampleSeconds: null}};
			watchSource(
				source,
				() => w,
				() => this.metrics.errors.inc({engine: engineName(w.view)}),
			);
			if (sampler)
				timeDockerSamples(sampler, seconds => {
					w.view = {...w.view, lastSampleSeconds: seconds};
					this.schedule();
				});
			feed.subscribe(() => {
				const previous = w.view.state;
				const state = feed.getState();
				w.view = {...w.view, state};
				if (state.refreshedAt !== previous.refreshedAt && state.refreshedAt !== null) {
					if (w.cycleStart !== undefined) w.view.lastSampleSeconds = Math.max(0, Date.now() - w.cycleStart) / 1000;
					w.cycleStart = undefined;
				} else if (state.error && state.error !== previous.error) w.cycleStart = undefined;
				this.schedule();
			});
			this.watched.push(w);
		}
		this.built = this.views();
		this.metrics.update(this.built, options.thresholds);
	}

	views(): EngineView[] {
		return this.watched.map(w => w.view);
	}

	/**
	 * Many notifications in one tick (a full scan's progress) make one rebuild, and none when no
	 * engine's state changed since the last one (a notification that changed nothing the series show).
	 */
	private schedule(): void {
		if (this.pending) return;
		this.pending = true;
		setImmediate(() => {
			this.pending = false;
			const views = this.views();
			if (views.length === this.built.length && views.every((v, i) => v.state === this.built[i]!.state && v.lastSampleSeconds === this.built[i]!.lastSampleSeconds)) return;
			this.built = views;
			this.metrics.update(views, this.options.thresholds);
		});
	}

	/** Engine reachability: ok when every engine's last sample succeeded. */
	health(): {ok: boolean; engines: Array<{engine: string; up: boolean; error: string | null; lastSampleAt: string | null}>} {
		const engines = this.watched.map(({view}) => ({
			engine: engineName(view),
			up: Boolean(view.state.snapshot) && !view.state.error,
			error: view.state.error,
			lastSampleAt: view.state.refreshedAt ? new Date(view.state.refreshedAt).toISOString() : null,
		}));
		return {ok: engines.length > 0 && engines.every(e => e.up), engines};
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const path = (request.url ?? '/').split('?')[0];
		if (request.method !== 'GET' && request.method !== 'HEAD') {
			response.writeHead(405, {allow: 'GET, HEAD'}).end();
			return;
		}
		if (path === '/metrics') {
			const end = this.metrics.scrapeSeconds.startTimer();
			const [samples, own] = await this.metrics.body();
			end();
			response.writeHead(200, {'content-type': this.metrics.contentType, 'content-length': samples!.length + own!.length});
			response.write(samples);
			response.end(own);
		} else if (path === '/healthz') {
			const health = this.health();
			response.writeHead(health.ok ? 200 : 503, {'content-type': 'application/json'}).end(JSON.stringify(health) + '\n');
		} else if (path === '/') {
			response.writeHead(200, {'content-type': 'text/plain'}).end('layerscope exporter: /metrics, /healthz\n');
		} else response.writeHead(404).end();
	}

	/** Starts sampling, then listening; resolves with the bound address. */
	async listen(host: string, port: number): Promise<{host: string; port: number}> {
		this.metrics.watchEventLoop();
		for (const w of this.watched) w.feed.start();
		this.server = createServer((request, response) => {
			this.handle(request, response).catch(error => {
				if (!response.headersSent) response.writeHead(500, {'content-type': 'text/plain'});
				response.end(`${(error as Error).message}\n`);
			});
		});
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(port, host, () => resolve());
		});
		const address = this.server.address();
		return typeof address === 'object' && address ? {host: address.address, port: address.port} : {host, port};
	}

	async close(): Promise<void> {
		await new Promise<void>(resolve => (this.server ? this.server.close(() => resolve()) : resolve()));
		this.server?.closeAllConnections?.();
		await Promise.all(this.watched.map(w => w.feed.stop()));
		for (const source of this.sources) source.close();
		this.metrics.close();
	}
}
