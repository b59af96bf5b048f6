import {DockerChanges} from '../adapters/docker/docker-changes.js';
import {WalkPool} from '../adapters/fs/walk-pool.js';
import {explainClass, type ClassBytes} from '../domain/classify.js';
import type {DrillChange, DrillTree} from '../domain/drill-model.js';
import {bytes} from '../domain/format.js';
import {metadataEvidence, type MetadataCopyUpSummary} from '../domain/metadata-copy-up.js';
import {OperatorError} from '../domain/operator-error.js';
import {sanitize} from '../domain/sanitize.js';
import {fitWidth} from '../domain/text-width.js';
import {buildReport, type Report, type ReportContainer} from '../report/report-model.js';
import {renderReportText} from '../report/report-text.js';
import {connectEngines, type EngineSource} from '../services/engines.js';
import type {ContainerRecord, EngineKind} from '../domain/types.js';
import {drillContainer} from '../services/drill.js';
import type {ReportFlags} from './report-flags.js';

export interface ContainerReportFlags extends ReportFlags {
	container: string;
}

export type ContainerReport = Omit<Report, 'containers'> & {
	containers: Array<ReportContainer & {changes: DrillChange[]; classes: ClassBytes[]; metadataCopyUp?: MetadataCopyUpSummary; drill: {source: string; approximate: boolean; warnings: string[]}}>;
};

function textSection(tree: DrillTree, kind?: EngineKind): string {
	const lines = ['', `Changes     ${tree.totals.marks.A} added, ${tree.totals.marks.C} changed, ${tree.totals.marks.D} deleted${tree.approximate ? ' (approximate)' : ''}`, ''];
	for (const c of tree.classes) {
		lines.push(`  ${fitWidth(c.class, 16, 'left')} ${fitWidth(bytes(c.bytes), 10, 'right')}${c.lowerBytes ? `  lower ${bytes(c.lowerBytes)}` : ''}  ${explainClass(c.class, kind)}`);
	}
	const m = tree.metadataCopyUp;
	if (m) {
		lines.push('', `Copied up for metadata alone: ${m.files.toLocaleString('en-US')} files, ${bytes(m.bytes)}: ${m.cause}`, `  ${metadataEvidence(m)}`);
	}
	const biggest = [...tree.changes]
		.filter(c => !c.dir)
		.sort((a, b) => b.bytes + (b.lowerBytes ?? 0) - (a.bytes + (a.lowerBytes ?? 0)))
		.slice(0, 20);
	if (biggest.length > 0) lines.push('', 'Largest changed paths');
	for (const c of biggest) lines.push(`  ${c.kind} ${fitWidth(bytes(c.bytes), 10, 'right')}  ${fitWidth(c.class, 16, 'left')} ${fitWidth(c.path, 90, 'left')}`.trimEnd());
	for (const w of tree.warnings) lines.push(`warning: ${sanitize(w)}`);
	return lines.join('\n') + '\n';
}

function findContainer(records: ContainerRecord[], wanted: string): ContainerRecord {
	const exact = records.filter(c => c.id === wanted || c.name === wanted || c.name === wanted.replace(/^\//, ''));
	if (exact.length === 1) return exact[0]!;
	const prefix = records.filter(c => wanted.length >= 3 && c.id.startsWith(wanted));
	if (prefix.length === 1) return prefix[0]!;
	if (exact.length + prefix.length > 1) throw new OperatorError(`${wanted} matches ${exact.length + prefix.length} containers`, {hint: 'give more of the id', code: 'AMBIGUOUS'});
	throw new OperatorError(`no container named ${wanted}`, {hint: '`layerscope report` lists them', code: 'NOT_FOUND'});
}

/**
 * With one local Docker-API engine, the container the engine resolves `wanted` to is walked
 * beside the scan (one inspect gives its layer paths): the walk need not wait for every other
 * container to be listed and sized. The report uses it only when the scan finds that same
 * container; otherwise (or when it fails) it walks after the scan.
 */
function walkBesideScan(sources: EngineSource[], wanted: string, signal: AbortSignal): Promise<{id: string; tree: DrillTree} | null> {
	const local = sources.filter(s => s.docker?.client.endpoint.local);
	if (local.length !== 1) return Promise.resolve(null);
	return local[0]!
		.docker!.container(wanted)
		.then(async record => (record?.upperDir ? {id: record.id, tree: await drillContainer(record, {listAdded: true, signal})} : null))
		.catch(() => null);
}

/** `layerscope report [--json] --container NAME|ID`: the normal report narrowed to one container, with its changes and classes. */
export async function runContainerReport(flags: ContainerReportFlags): Promise<number> {
	const {sources, notes} = await connectEngines(flags);
	const pool = new WalkPool();
	const stop = new AbortController();
	try {
		const early = walkBesideScan(sources, flags.container, stop.signal);
		const engines = await Promise.all(sources.map(source => source.scan({pool, diskUsageTimeoutMs: (flags.dfTimeout ?? 120) * 1000})));
		const found = findContainer(
			engines.flatMap(e => e.containers),
			flags.container,
		);
		const docker = sources.find(s => s.docker && s.docker.engineId === found.engine)?.docker;
		const walked = await early;
		const tree =
			walked && walked.id === found.id
				? walked.tree
				: await drillContainer(found, {
						listAdded: true,
						local: docker ? docker.client.endpoint.local : true,
						engine: docker ? new DockerChanges(docker.client) : undefined,
					});
		const base = buildReport({takenAt: Date.now(), engines}, notes);
		const report: ContainerReport = {
			...base,
			containers: base.containers
				.filter(c => c.id === found.id)
				.map(c => ({...c, changes: tree.changes, classes: tree.classes, ...(tree.metadataCopyUp ? {metadataCopyUp: tree.metadataCopyUp} : {}), drill: {source: tree.source, approximate: tree.approximate, warnings: tree.warnings}})),
		};
		process.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : renderReportText({...base, containers: report.containers}) + textSection(tree, engines.find(e => e.runtime.id === found.engine)?.runtime.kind));
		return 0;
	} finally {
		stop.abort();
		for (const source of sources) source.close();
		await pool.close();
	}
}
