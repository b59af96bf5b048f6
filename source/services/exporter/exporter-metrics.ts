import {monitorEventLoopDelay, type IntervalHistogram} from 'node:perf_hooks';
import {Counter, Gauge, Histogram, Registry} from 'prom-client';
import {classifyFilesystem, describeThreshold, imageGcOf, thresholdAmount, type EvictionThresholds} from '../../domain/eviction.js';
import {reclaimOrder} from '../../domain/image-gc.js';
import {GrowthTracker, timeToThreshold, totalGrowth} from '../../domain/growth.js';
import {buildLedger, ledgerCategories} from '../../domain/ledger.js';
import {sanitize} from '../../domain/sanitize.js';
import type {ContainerRecord, EngineSnapshot} from '../../domain/types.js';
import type {FeedState} from '../console-feed.js';
import {threadHeap, type ThreadHeap} from '../../adapters/thread-heap.js';

/** One engine as the exporter sees it: its feed's latest state and what the exporter measured around it. */
export interface EngineView {
	/** Label value before the first snapshot names the runtime. */
	fallbackName: string;
	state: FeedState;
	/** Wall time of the last complete sample, seconds; null until one completed. */
	lastSampleSeconds: number | null;
}

/** Longest label value kept: a hostile 1 MB label must not make a 1 MB series. */
const maxLabel = 256;

/** Untrusted text (container names, images, pod names) as a label value: escaped by domain/sanitize.ts, bounded. */
export function labelValue(text: string | null | undefined): string {
	const safe = sanitize(text ?? '');
	return safe.length > maxLabel ? `${safe.slice(0, maxLabel - 1)}…` : safe;
}

export function engineName(view: EngineView): string {
	return labelValue(view.state.snapshot?.engines[0]?.runtime.id ?? view.fallbackName);
}

const containerLabels = ['engine', 'container', 'id', 'image', 'pod', 'namespace'] as const;

function labelsOf(c: ContainerRecord): Record<(typeof containerLabels)[number], string> {
	const labels: Record<string, string> = {engine: labelValue(c.engine), container: labelValue(c.name), id: labelValue(c.id.slice(0, 12)), image: labelValue(c.image)};
	if (c.pod) {
		labels.pod = labelValue(c.pod.name);
		labels.namespace = labelValue(c.pod.namespace);
	}
	return labels as Record<(typeof containerLabels)[number], string>;
}

/**
 * The exporter's registry. `update` rebuilds every gauge from the feeds' latest state
 * (reset, then set): a container gone from the last sample loses its series at once, so
 * label cardinality stays bounded by what runs. Nothing here calls an engine.
 */
export class ExporterMetrics {
	/** What the samples found: rendered once per update, not per scrape. */
	readonly registry = new Registry();
	/** The exporter's own cost (CPU, memory, scrape time): small, rendered at each scrape. */
	readonly own = new Registry();
	/** The last rendering of `registry` (text, and encoded once for the HTTP body). */
	private samples = '';
	private samplesBody = Buffer.alloc(0);
	private rendering: Promise<void> = Promise.resolve();
	private generation = 0;
	/** Main-thread stalls (a scrape waits for them): a long GC or synchronous work would show here. */
	private loopDelay: IntervalHistogram | undefined;
	/** The walker threads' heaps (set by the service that owns them). */
	walkerHeaps: () => readonly ThreadHeap[] = () => [];
	private readonly g: Record<string, Gauge<string>> = {};
	readonly errors: Counter<'engine'>;
	readonly scrapeSeconds: Histogram<string>;

	constructor(options: {defaultLabels?: Record<string, string>} = {}) {
		if (options.defaultLabels) {
			this.registry.setDefaultLabels(options.defaultLabels);
			this.own.setDefaultLabels(options.defaultLabels);
		}
		const gauge = (name: string, help: string, labelNames: readonly string[]) => {
			this.g[name] = new Gauge({name, help, labelNames, registers: [this.registry]});
		};
		gauge('layerscope_container_writable_bytes', 'Apparent bytes in the container writable layer (each hard link once).', containerLabels);
		gauge('layerscope_container_writable_allocated_bytes', 'Blocks allocated by the container writable layer, in bytes.', containerLabels);
		gauge('layerscope_container_writable_growth_bytes_per_second', 'Smoothed growth of the container writable layer (Theil-Sen over the last samples).', containerLabels);
		gauge('layerscope_container_log_bytes', 'Bytes in the container log file and its rotated siblings.', containerLabels);
		gauge('layerscope_container_log_growth_bytes_per_second', 'Smoothed growth of the container log files.', containerLabels);
		gauge('layerscope_ledger_bytes', 'Bytes per ledger category (where the bytes live), per engine.', ['engine', 'category']);
		gauge('layerscope_ledger_reclaimable_bytes', 'Bytes a prune of this ledger category could reclaim, per engine.', ['engine', 'category']);
		gauge('layerscope_filesystem_size_bytes', 'Size of a filesystem holding engine data.', ['path']);
		gauge('layerscope_filesystem_available_bytes', 'Bytes available to unprivileged users on a filesystem holding engine data.', ['path']);
		gauge('layerscope_filesystem_inodes_free', 'Free inodes on a filesystem holding engine data.', ['path']);
		gauge('layerscope_filesystem_growth_bytes_per_second', 'Sum of the positive growth of writable layers and logs on this filesystem.', ['path']);
		gauge('layerscope_eviction_threshold_bytes', 'Available bytes at which the kubelet starts evicting, per signal.', ['path', 'signal']);
		gauge('layerscope_eviction_headroom_bytes', 'Available bytes minus the kubelet hard-eviction threshold, per signal (negative: crossed).', ['path', 'signal']);
		gauge('layerscope_eviction_headroom_inodes', 'Free inodes minus the kubelet hard-eviction threshold (negative: crossed).', ['path', 'signal']);
		gauge('layerscope_eviction_eta_seconds', 'Seconds until the strictest kubelet threshold is crossed at the current growth (absent when nothing grows).', ['path']);
		gauge('layerscope_eviction_thresholds_info', 'Kubelet hard-eviction thresholds in use and where they were read.', ['source', 'origin', 'nodefs_available', 'imagefs_available', 'nodefs_inodes_free']);
		gauge('layerscope_kubelet_image_gc_threshold_percent', 'Kubelet image GC thresholds in use: it starts at disk usage high and frees unused images down to low (imageGCHigh/LowThresholdPercent).', ['threshold']);
		gauge('layerscope_kubelet_image_gc_threshold_bytes', 'Available bytes at which the kubelet starts image GC on this filesystem.', ['path']);
		gauge('layerscope_kubelet_image_gc_eta_seconds', 'Seconds until the kubelet starts image GC at the current growth (absent when nothing grows or image GC is off; 0 once reached).', ['path']);
		gauge('layerscope_kubelet_reclaim_first_info', 'What the kubelet does first as this filesystem fills: image-gc (collect unused images) or eviction.', ['path', 'first']);
		gauge('layerscope_engine_up', '1 when the last sample of this engine succeeded.', ['engine']);
		gauge('layerscope_engine_containers', 'Containers known to this engine.', ['engine']);
		gauge('layerscope_engine_sample_duration_seconds', 'Wall time of the last complete sample of this engine.', ['engine']);
		gauge('layerscope_engine_last_sample_timestamp_seconds', 'When the last successful sample of this engine was taken (Unix time).', ['engine']);
		gauge('layerscope_engine_sample_interval_seconds', 'Configured sampling period.', []);
		this.errors = new Counter({name: 'layerscope_engine_errors_total', help: 'Engine reads that failed, per engine.', labelNames: ['engine'], registers: [this.own]});
		this.scrapeSeconds = new Histogram({
			name: 'layerscope_exporter_scrape_duration_seconds',
			help: 'Time to render /metrics from the latest samples.',
			buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
			registers: [this.own],
		});
		// The exporter's own cost. Not prom-client's default metrics: some of their names fail promtool's lint.
		new Counter({
			name: 'layerscope_exporter_cpu_seconds_total',
			help: 'CPU time used by the exporter process (user and system).',
			registers: [this.own],
			collect() {
				const {user, system} = process.cpuUsage();
				this.reset();
				this.inc((user + system) / 1e6);
			},
		});
		new Gauge({
			name: 'layerscope_exporter_resident_memory_bytes',
			help: 'Resident set size of the exporter process.',
			registers: [this.own],
			collect() {
				this.set(process.memoryUsage.rss());
			},
		});
		const loop = () => this.loopDelay;
		new Gauge({
			name: 'layerscope_exporter_event_loop_delay_seconds',
			help: 'Event-loop delay of the service thread (the one serving /metrics) since the previous scrape (p99 and max, 20 ms resolution): how long a request could wait for it (synchronous work, GC, or the machine not running it).',
			labelNames: ['stat'],
			registers: [this.own],
			collect() {
				const histogram = loop();
				if (!histogram || histogram.count === 0) return;
				this.set({stat: 'p99'}, histogram.percentile(99) / 1e9);
				this.set({stat: 'max'}, histogram.max / 1e9);
				histogram.reset();
			},
		});
		const walkers = () => this.walkerHeaps();
		new Gauge({
			name: 'layerscope_exporter_heap_bytes',
			help: 'V8 heap per thread of the exporter (service: the thread that runs the engine samplers and serves /metrics; walkerN: the walker thread that samples the writable layers): used, total (reserved by V8), and young (the young generation, part of total).',
			labelNames: ['thread', 'kind'],
			registers: [this.own],
			collect() {
				this.reset();
				const each: Array<[string, ThreadHeap]> = [['service', threadHeap()], ...walkers().map((heap, i): [string, ThreadHeap] => [`walker${i}`, heap])];
				for (const [thread, heap] of each) {
					this.set({thread, kind: 'used'}, heap.used);
					this.set({thread, kind: 'total'}, heap.total);
					this.set({thread, kind: 'young'}, heap.young);
				}
			},
		});
		new Gauge({
			name: 'layerscope_exporter_external_memory_bytes',
			help: 'Memory outside the V8 heaps that JavaScript objects hold (buffers, array buffers), per thread.',
			labelNames: ['thread'],
			registers: [this.own],
			collect() {
				this.reset();
				this.set({thread: 'service'}, threadHeap().external);
				walkers().forEach((heap, i) => {
					this.set({thread: `walker${i}`}, heap.external);
				});
			},
		});
		new Gauge({
			name: 'layerscope_exporter_heap_used_bytes',
			help: 'JavaScript heap in use on the service thread, the one serving /metrics (the walker threads have their own).',
			registers: [this.own],
			collect() {
				this.set(threadHeap().used);
			},
		});
	}

	/** Rebuilds every gauge from the engines' latest states. */
	update(views: readonly EngineView[], thresholds: EvictionThresholds): void {
		for (const gauge of Object.values(this.g)) gauge.reset();
		const g = this.g;
		g.layerscope_eviction_thresholds_info!.set(
			{
				source: labelValue(thresholds.source),
				origin: thresholds.origin ?? 'defaults',
				nodefs_available: describeThreshold(thresholds.nodefsAvailable),
				imagefs_available: describeThreshold(thresholds.imagefsAvailable),
				nodefs_inodes_free: describeThreshold(thresholds.nodefsInodesFree),
			},
			1,
		);
		// Image GC: where a kubelet was found (or a CRI engine answers), as in the console's header.
		const kubelet = Boolean(thresholds.kubelet) || views.some(v => v.state.snapshot?.engines.some(e => e.runtime.kind === 'cri'));
		if (kubelet) {
			const gc = imageGcOf(thresholds);
			g.layerscope_kubelet_image_gc_threshold_percent!.set({threshold: 'high'}, gc.highPercent);
			g.layerscope_kubelet_image_gc_threshold_percent!.set({threshold: 'low'}, gc.lowPercent);
		}
		const intervals = views.map(v => v.state.intervalMs / 1000);
		if (intervals.length > 0) g.layerscope_engine_sample_interval_seconds!.set(Math.max(...intervals));
		const byFilesystem = new Map<string, {engines: EngineSnapshot[]; growth: ReadonlyMap<string, number | null>[]; logGrowth: ReadonlyMap<string, number | null>[]}>();
		for (const view of views) {
			const engine = engineName(view);
			const {state} = view;
			g.layerscope_engine_up!.set({engine}, state.snapshot && !state.error ? 1 : 0);
			if (view.lastSampleSeconds !== null) g.layerscope_engine_sample_duration_seconds!.set({engine}, view.lastSampleSeconds);
			if (state.refreshedAt) g.layerscope_engine_last_sample_timestamp_seconds!.set({engine}, state.refreshedAt / 1000);
			for (const snapshot of state.snapshot?.engines ?? []) {
				g.layerscope_engine_containers!.set({engine: labelValue(snapshot.runtime.id)}, snapshot.containers.length);
				this.containers(snapshot, state);
				this.ledger(snapshot);
				if (snapshot.filesystem) {
					const key = String(snapshot.filesystem.device ?? snapshot.filesystem.path);
					const group = byFilesystem.get(key) ?? {engines: [], growth: [], logGrowth: []};
					group.engines.push(snapshot);
					group.growth.push(state.growth);
					group.logGrowth.push(state.logGrowth);
					byFilesystem.set(key, group);
				}
			}
		}
		for (const group of byFilesystem.values()) this.filesystem(group, thresholds, kubelet);
		// prom-client reads every value synchronously here; the text (encoded once) is what scrapes
		// send until the next sample, so a scrape never renders the samples' series.
		const generation = ++this.generation;
		this.rendering = this.registry.metrics().then(text => {
			if (generation !== this.generation || text === this.samples) return;
			this.samples = text;
			this.samplesBody = Buffer.from(text);
		});
	}

	/** Starts measuring the service thread's event-loop delay (the exporter's own metric); `close` stops it. */
	watchEventLoop(): void {
		this.loopDelay ??= monitorEventLoopDelay({resolution: 20});
		this.loopDelay.enable();
	}

	close(): void {
		this.loopDelay?.disable();
	}

	private containers(snapshot: EngineSnapshot, state: FeedState): void {
		const g = this.g;
		for (const c of snapshot.containers) {
			const labels = labelsOf(c);
			const key = GrowthTracker.key(c);
			if (c.writableBytes !== null) g.layerscope_container_writable_bytes!.set(labels, c.writableBytes);
			if (c.writableAllocatedBytes !== null) g.layerscope_container_writable_allocated_bytes!.set(labels, c.writableAllocatedBytes);
			g.layerscope_container_log_bytes!.set(labels, c.logBytes);
			const growth = state.growth.get(key);
			if (growth !== undefined && growth !== null) g.layerscope_container_writable_growth_bytes_per_second!.set(labels, growth);
			const logGrowth = state.logGrowth.get(key);
			if (logGrowth !== undefined && logGrowth !== null) g.layerscope_container_log_growth_bytes_per_second!.set(labels, logGrowth);
		}
	}

	private ledger(snapshot: EngineSnapshot): void {
		const ledger = buildLedger(snapshot);
		const engine = labelValue(snapshot.runtime.id);
		for (const category of ledgerCategories) {
			const entry = ledger[category];
			if (!entry) continue;
			this.g.layerscope_ledger_bytes!.set({engine, category}, entry.bytes);
			if (entry.reclaimableBytes !== undefined) this.g.layerscope_ledger_reclaimable_bytes!.set({engine, category}, entry.reclaimableBytes);
		}
	}

	private filesystem(group: {engines: EngineSnapshot[]; growth: ReadonlyMap<string, number | null>[]; logGrowth: ReadonlyMap<string, number | null>[]}, thresholds: EvictionThresholds, kubelet = false): void {
		const g = this.g;
		const fs = group.engines[0]!.filesystem!;
		const path = labelValue(fs.path);
		g.layerscope_filesystem_size_bytes!.set({path}, fs.sizeBytes);
		g.layerscope_filesystem_available_bytes!.set({path}, fs.availableBytes);
		g.layerscope_filesystem_inodes_free!.set({path}, fs.inodesFree);
		for (const [signal, threshold] of [
			['nodefs.available', thresholds.nodefsAvailable],
			['imagefs.available', thresholds.imagefsAvailable],
		] as const) {
			const amount = thresholdAmount(threshold, fs.sizeBytes);
			g.layerscope_eviction_threshold_bytes!.set({path, signal}, amount);
			g.layerscope_eviction_headroom_bytes!.set({path, signal}, fs.availableBytes - amount);
		}
		if (fs.inodesTotal > 0) g.layerscope_eviction_headroom_inodes!.set({path, signal: 'nodefs.inodesFree'}, fs.inodesFree - thresholdAmount(thresholds.nodefsInodesFree, fs.inodesTotal));
		// Growth of everything on this filesystem: writable layers and log files (the console's node line).
		const rates: Array<number | null> = [];
		group.engines.forEach((engine, i) => {
			for (const c of engine.containers) {
				const key = GrowthTracker.key(c);
				rates.push(group.growth[i]!.get(key) ?? null, group.logGrowth[i]!.get(key) ?? null);
			}
		});
		const growth = totalGrowth(rates);
		g.layerscope_filesystem_growth_bytes_per_second!.set({path}, growth);
		const evictionAt = classifyFilesystem(fs, thresholds).thresholdBytes;
		const eta = timeToThreshold(fs.availableBytes, evictionAt, growth);
		if (eta !== null) g.layerscope_eviction_eta_seconds!.set({path}, eta);
		if (!kubelet) return;
		const order = reclaimOrder(fs, evictionAt, imageGcOf(thresholds), growth);
		if (order.imageGcAtBytes !== null) g.layerscope_kubelet_image_gc_threshold_bytes!.set({path}, order.imageGcAtBytes);
		if (order.imageGcEta !== null) g.layerscope_kubelet_image_gc_eta_seconds!.set({path}, order.imageGcEta);
		g.layerscope_kubelet_reclaim_first_info!.set({path, first: order.first}, 1);
	}

	/** The exposition: the last sample's series (rendered when it arrived), then the exporter's own cost. */
	async metrics(): Promise<string> {
		const [, own] = await Promise.all([this.rendering, this.own.metrics()]);
		return this.samples + own;
	}

	/** The same exposition as an HTTP body: the samples' series as rendered when they arrived, then the own cost. */
	async body(): Promise<Buffer[]> {
		const [, own] = await Promise.all([this.rendering, this.own.metrics()]);
		return [this.samplesBody, Buffer.from(own)];
	}

	get contentType(): string {
		return this.registry.contentType;
	}
}
