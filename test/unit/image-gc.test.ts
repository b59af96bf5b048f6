/**
 * The kubelet's image GC next to its eviction (issue 20): thresholds from a config file and
 * from the defaults, and which comes first, checked against figures computed here.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {resolveKubeletEviction} from '../../source/adapters/kubelet-config.js';
import {classifyFilesystem, defaultThresholds, type EvictionThresholds} from '../../source/domain/eviction.js';
import {defaultImageGc, imageGcFrom, imageGcWantsBytes, reclaimOrder, reclaimOrderSentence, reclaimOrderShort} from '../../source/domain/image-gc.js';
import type {NodeSnapshot} from '../../source/domain/types.js';
import {reportKubelet} from '../../source/report/report-kubelet.js';
import {buildReport} from '../../source/report/report-model.js';
import type {FeedState} from '../../source/services/console-feed.js';
import {ExporterMetrics} from '../../source/services/exporter/exporter-metrics.js';
import {filesystemGroups} from '../../source/ui/model/node-model.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const dir = mkdtempSync(join(tmpdir(), 'ls-image-gc-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const noProc = join(dir, 'no-proc');
const file = (name: string, text: string) => {
	const path = join(dir, name);
	writeFileSync(path, text);
	return path;
};

describe('image GC thresholds: the kubelet config, else the defaults', () => {
	it('reads imageGCHighThresholdPercent / imageGCLowThresholdPercent from the --kubelet-config file', () => {
		const path = file('gc.yaml', 'kind: KubeletConfiguration\nimageGCHighThresholdPercent: 70\nimageGCLowThresholdPercent: 60\nevictionHard:\n  imagefs.available: 10%\n');
		const {thresholds, warnings} = resolveKubeletEviction({configPath: path, procRoot: noProc});
		expect(warnings).toEqual([]);
		expect(thresholds.imageGc).toEqual({highPercent: 70, lowPercent: 60});
		expect(thresholds.kubelet).toBe(true);
	});

	it('reads them from /var/lib/kubelet/config.yaml (here: defaultPath) as the eviction thresholds are', () => {
		const path = file('default.yaml', 'kind: KubeletConfiguration\nimageGCHighThresholdPercent: 90\n');
		const {thresholds} = resolveKubeletEviction({procRoot: noProc, defaultPath: path});
		expect(thresholds).toMatchObject({origin: 'config-file', imageGc: {highPercent: 90, lowPercent: 80}, kubelet: true});
	});

	it("a config without them: the kubelet's defaults, 85/80; no config and no kubelet: defaults and no kubelet", () => {
		const path = file('plain.yaml', 'kind: KubeletConfiguration\n');
		expect(resolveKubeletEviction({configPath: path, procRoot: noProc}).thresholds.imageGc).toEqual({highPercent: 85, lowPercent: 80});
		const none = resolveKubeletEviction({procRoot: noProc, defaultPath: join(dir, 'absent.yaml')}).thresholds;
		expect(none.imageGc ?? defaultImageGc).toEqual({highPercent: 85, lowPercent: 80});
		expect(none.kubelet).toBeFalsy();
	});

	it('refuses what the kubelet refuses: not a percentage, or low above high (defaults, with a warning)', () => {
		expect(imageGcFrom({high: '75', low: 50}, 'x')).toEqual({imageGc: {highPercent: 75, lowPercent: 50}, warnings: []});
		const bad = imageGcFrom({high: 'lots'}, 'cfg');
		expect(bad.imageGc).toEqual(defaultImageGc);
		expect(bad.warnings[0]).toContain('imageGCHighThresholdPercent "lots"');
		const inverted = imageGcFrom({high: 60, low: 70}, 'cfg');
		expect(inverted.imageGc).toEqual(defaultImageGc);
		expect(inverted.warnings[0]).toContain('above');
	});
});

describe('which comes first: image GC or eviction', () => {
	// 100 GiB, 30 GiB available, growing 1 MiB/s; eviction (imagefs.available 15%) at 15 GiB available.
	const fs = {sizeBytes: 100 * GiB, availableBytes: 30 * GiB};
	const evictionAt = 0.15 * 100 * GiB;
	const growth = MiB;

	it("at the kubelet's defaults image GC (85% used = 15% available) starts with eviction's threshold: image GC first", () => {
		const order = reclaimOrder(fs, evictionAt, {highPercent: 85, lowPercent: 80}, growth);
		const eta = (30 * GiB - 15 * GiB) / MiB; // 15360 s
		expect(order).toMatchObject({first: 'image-gc', imageGcEta: eta, evictionEta: eta, imageGcAtBytes: 15 * GiB});
		expect(reclaimOrderSentence(order)).toBe('image GC comes first, in 4.3h; eviction in 4.3h');
	});

	it('a lower high threshold starts image GC earlier; a higher one lets eviction come first', () => {
		const early = reclaimOrder(fs, evictionAt, {highPercent: 75, lowPercent: 70}, growth);
		expect(early.first).toBe('image-gc');
		expect(early.imageGcEta).toBe((30 * GiB - 25 * GiB) / MiB); // 5120 s
		expect(reclaimOrderShort(early)).toBe('image GC in 85m, eviction in 4.3h');
		const late = reclaimOrder(fs, evictionAt, {highPercent: 90, lowPercent: 80}, growth);
		expect(late.first).toBe('eviction');
		expect(late.evictionEta).toBe(15360);
		expect(late.imageGcEta).toBe((30 * GiB - 10 * GiB) / MiB); // 20480 s
		expect(reclaimOrderSentence(late)).toBe('eviction comes first, in 4.3h; image GC in 5.7h');
	});

	it('already past the high threshold: image GC is due now and wants to free down to the low one', () => {
		const order = reclaimOrder(fs, evictionAt, {highPercent: 70, lowPercent: 60}, 0);
		expect(order.imageGcEta).toBe(0);
		expect(order.evictionEta).toBeNull();
		expect(imageGcWantsBytes(fs, {highPercent: 70, lowPercent: 60})).toBe(40 * GiB - 30 * GiB);
		expect(reclaimOrderSentence(order)).toBe('image GC comes first, now; eviction not at the current growth');
	});

	it('a high threshold of 100 turns image GC off: eviction only', () => {
		const order = reclaimOrder(fs, evictionAt, {highPercent: 100, lowPercent: 80}, growth);
		expect(order).toMatchObject({enabled: false, first: 'eviction', imageGcEta: null, imageGcAtBytes: null});
		expect(reclaimOrderSentence(order)).toContain('image GC is off');
	});

	it('nothing growing: which comes first as the disk fills, and no time', () => {
		expect(reclaimOrderSentence(reclaimOrder(fs, evictionAt, defaultImageGc, 0))).toBe('image GC comes first as the disk fills; nothing is growing now');
		expect(reclaimOrderSentence(reclaimOrder(fs, evictionAt, {highPercent: 95, lowPercent: 90}, 0))).toBe('eviction comes first as the disk fills; nothing is growing now');
	});
});

/** Recorded from the lab's containerd (scripts/record-cri-fixture.mjs). */
const cri = JSON.parse(readFileSync(new URL('../fixtures/console-cri.json', import.meta.url), 'utf8')) as {snapshot: NodeSnapshot; growth: Array<[string, number | null]>; intervalMs: number; refreshedAt: number};
const thresholds: EvictionThresholds = {...defaultThresholds, imageGc: {highPercent: 80, lowPercent: 70}, kubelet: true, source: 'test', origin: 'flag'};
const fsOf = () => cri.snapshot.engines[0]!.filesystem!;
/** Image GC starts at usage >= 80%: available <= 20% of the size. */
const gcAtOf = (fs: {sizeBytes: number}) => (fs.sizeBytes * (100 - 80)) / 100;
const totalGrowth = () => cri.growth.reduce((t, [, g]) => t + Math.max(0, g ?? 0), 0);

describe('the same figures in the header model, report --json and the exporter (recorded CRI data)', () => {
	it('header/guide model: the filesystem group carries the order at the containers’ growth', () => {
		const [group] = filesystemGroups(cri.snapshot, new Map(cri.growth), thresholds);
		const fs = fsOf();
		const gcAt = gcAtOf(fs);
		expect(group!.reclaim).toMatchObject({first: 'image-gc', imageGcAtBytes: gcAt});
		expect(group!.reclaim!.imageGcEta).toBeCloseTo((fs.availableBytes - gcAt) / totalGrowth(), 6);
	});

	it('report --json: kubelet.imageGc.{highPercent,lowPercent} and the order per filesystem', () => {
		const report = buildReport(cri.snapshot);
		const rates = new Map(cri.growth.map(([key, g]) => [key.slice(key.indexOf('/') + 1), g ?? 0]));
		for (const c of report.containers) c.growthBytesPerSec = rates.get(c.id) ?? 0;
		const kubelet = reportKubelet(report, thresholds)!;
		expect(kubelet.imageGc).toEqual({highPercent: 80, lowPercent: 70});
		const fs = fsOf();
		const [row] = kubelet.reclaimOrder;
		expect(row).toMatchObject({path: fs.path, first: 'image-gc', imageGcAtAvailableBytes: gcAtOf(fs), evictionAtAvailableBytes: classifyFilesystem(fs, thresholds).thresholdBytes});
		expect(row!.imageGcEtaSeconds).toBeCloseTo((fs.availableBytes - gcAtOf(fs)) / totalGrowth(), 6);
		// A Docker-only node with no kubelet found has no kubelet section.
		const docker = {...report, runtimes: report.runtimes.map(r => ({...r, runtime: {...r.runtime, kind: 'docker' as const}}))};
		expect(reportKubelet(docker, defaultThresholds)).toBeNull();
	});

	it('exporter: layerscope_kubelet_image_gc_threshold_percent, _threshold_bytes, _eta_seconds and which comes first', async () => {
		const metrics = new ExporterMetrics();
		const state = {snapshot: cri.snapshot, progress: null, refreshedAt: cri.refreshedAt, intervalMs: cri.intervalMs, error: null, thresholds, notices: [], growth: new Map(cri.growth), logGrowth: new Map(), history: new Map()} as FeedState;
		metrics.update([{fallbackName: 'containerd', state, lastSampleSeconds: 1}], thresholds);
		const text = await metrics.metrics();
		const fs = fsOf();
		const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
		expect(value('layerscope_kubelet_image_gc_threshold_percent{threshold="high"}')).toBe(80);
		expect(value('layerscope_kubelet_image_gc_threshold_percent{threshold="low"}')).toBe(70);
		expect(value(`layerscope_kubelet_image_gc_threshold_bytes{path="${fs.path}"}`)).toBeCloseTo(gcAtOf(fs), 0);
		expect(value(`layerscope_kubelet_image_gc_eta_seconds{path="${fs.path}"}`)).toBeCloseTo((fs.availableBytes - gcAtOf(fs)) / totalGrowth(), 3);
		expect(text).toContain(`layerscope_kubelet_reclaim_first_info{path="${fs.path}",first="image-gc"} 1`);
	});
});
