import {writeFileSync} from 'node:fs';
import {availableParallelism, hostname} from 'node:os';
import {OperatorError} from '../domain/operator-error.js';
import {WalkPool} from '../adapters/fs/walk-pool.js';
import {resolveKubeletEviction} from '../adapters/kubelet-config.js';
import {describeThreshold} from '../domain/eviction.js';
import {buildReport, type Report} from '../report/report-model.js';
import {renderReportText} from '../report/report-text.js';
import {connectEngines} from '../services/engines.js';
import {canScanProc, startDeletedOpenScan, withDeletedOpen} from '../services/deleted-open.js';
import {startProcPass} from '../adapters/proc/proc-pass.js';
import type {DeletedLinks} from '../adapters/proc/parallel-scan.js';
import {resolveReadOnly} from '../services/read-only.js';
import {sampleEngine} from '../services/report-samples.js';
import type {ReportFlags} from './report-flags.js';

export type {ReportFlags} from './report-flags.js';

export async function runReport(flags: ReportFlags): Promise<number> {
	if (flags.container) return (await import('./run-container-report.js')).runContainerReport({...flags, container: flags.container});
	const format = flags.format ?? (flags.json ? 'json' : 'text');
	if (!Number.isInteger(flags.samples) || flags.samples < 1) throw new OperatorError(`--samples must be a whole number ≥ 1 (got ${flags.samples})`, {hint: 'e.g. --samples 6 --interval 5', code: 'BAD_FLAG'});
	if (!(flags.interval > 0)) throw new OperatorError(`--interval must be a number of seconds > 0 (got ${flags.interval})`, {hint: 'e.g. --interval 5', code: 'BAD_FLAG'});
	// Deleted-but-open files (the report and the advice see them) and the kubelet's flags: one
	// pass over /proc (readlink of every /proc/*/fd/N, comm and cmdline of every process: most
	// of report's own work on a busy node), read a few processes at a time between the
	// engines' answers, and from a worker thread too on a node with many processes and a
	// second core. With --samples above 1 the kubelet's flags are read at once and the fds
	// after the last sample, as the figures they sit beside.
	const once = flags.samples <= 1;
	const pass = once ? startProcPass({links: canScanProc(), kubelet: !flags.kubeletConfig, workerFrom: availableParallelism() >= 2 ? undefined : Number.POSITIVE_INFINITY}) : undefined;
	let links: Promise<DeletedLinks> | null | undefined;
	// The engines are asked next; this thread reads /proc between their answers.
	const connecting = connectEngines(flags);
	pass?.helpWhileIdle();
	let eviction: ReturnType<typeof resolveKubeletEviction> | undefined;
	try {
		if (!pass || flags.kubeletConfig) eviction = resolveKubeletEviction({configPath: flags.kubeletConfig});
	} catch (error) {
		pass?.cancel();
		void connecting.then(
			({sources}) => {
				for (const source of sources) source.close();
			},
			() => undefined,
		);
		throw error;
	}
	const {sources, notes} = await connecting.catch((error: unknown) => {
		pass?.cancel();
		throw error;
	});
	const pool = new WalkPool();
	try {
		const readProc = () => {
			if (!pass) links ??= startDeletedOpenScan();
		};
		const sampled = await Promise.all(
			sources.map(source => sampleEngine(source, {samples: flags.samples, intervalSeconds: flags.interval, pool, dfTimeoutMs: flags.dfTimeout * 1000, whileSizing: source.docker?.client.endpoint.local ? readProc : undefined})),
		).catch((error: unknown) => {
			pass?.cancel();
			throw error;
		});
		if (pass) {
			const done = await pass.finish();
			links = done.links && Promise.resolve(done.links);
			eviction ??= resolveKubeletEviction({kubelet: done.kubelet});
		}
		eviction ??= resolveKubeletEviction();
		for (const [i, engine] of (
			await withDeletedOpen(
				sampled.map(s => s.engine),
				{links},
			)
		).entries())
			sampled[i]!.engine = engine;
		const report: Report = buildReport({takenAt: Date.now(), engines: sampled.map(s => s.engine)}, [...notes, ...eviction.warnings]);
		report.evictionThresholds = {
			source: eviction.thresholds.source,
			nodefsAvailable: describeThreshold(eviction.thresholds.nodefsAvailable),
			imagefsAvailable: describeThreshold(eviction.thresholds.imagefsAvailable),
			nodefsInodesFree: describeThreshold(eviction.thresholds.nodefsInodesFree),
		};
		if (flags.otherFiles || flags.otherRoot) {
			const {otherFilesBreakdown} = await import('../services/other-files.js');
			const {reportOtherFiles} = await import('../report/report-other-files.js');
			Object.assign(
				report,
				reportOtherFiles(
					await otherFilesBreakdown(
						sampled.map(s => s.engine),
						{root: flags.otherRoot, kubeletRoot: flags.kubeletRoot},
					),
				),
			);
		}
		if (flags.samples > 1) {
			const rates = new Map(sampled.flatMap(s => [...s.growthBytesPerSec]));
			for (const c of report.containers) c.growthBytesPerSec = rates.get(c.id) ?? 0;
		}
		const {reportKubelet} = await import('../report/report-kubelet.js');
		const kubelet = reportKubelet(report, eviction.thresholds);
		if (kubelet) report.kubelet = kubelet;
		let text: string;
		if (format === 'json') text = JSON.stringify(report, null, 2) + '\n';
		else if (format === 'markdown') {
			const {markdownExtras} = await import('../services/markdown-extras.js');
			const {renderReportMarkdown} = await import('../report/report-markdown.js');
			const extras = await markdownExtras(report, sources, sampled, eviction.thresholds);
			text = renderReportMarkdown(report, {...extras, hostname: hostname(), readOnly: resolveReadOnly(flags.readOnly).on, sampledSeconds: flags.samples > 1 ? (flags.samples - 1) * flags.interval : null});
		} else text = renderReportText(report);
		if (flags.output) {
			writeFileSync(flags.output, text);
			process.stderr.write(`layerscope: report written to ${flags.output}\n`);
		} else process.stdout.write(text);
		return 0;
	} finally {
		for (const source of sources) source.close();
		await pool.close();
	}
}
