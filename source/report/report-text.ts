import {count, bytes, percent} from '../domain/format.js';
import {ledgerCategories, otherBytes} from '../domain/ledger.js';
import {ledgerLabels, reclaimable} from '../domain/ledger-labels.js';
import {sanitize} from '../domain/sanitize.js';
import {fitWidth, wrap} from '../domain/text-width.js';
import type {FilesystemStats} from '../domain/types.js';
import type {Report, ReportEngine} from './report-model.js';

const row = (cells: Array<[string, number, 'left' | 'right']>) =>
	cells
		.map(([text, width, align]) => fitWidth(text, width, align))
		.join(' ')
		.trimEnd();

function filesystemLines(fs: FilesystemStats): string[] {
	return [
		`Filesystem  ${sanitize(fs.path)}`,
		`            ${bytes(fs.usedBytes)} used of ${bytes(fs.sizeBytes)} (${percent(fs.usedBytes, fs.sizeBytes)}), ${bytes(fs.availableBytes)} available`,
		`            inodes ${count(fs.inodesTotal - fs.inodesFree)} used of ${count(fs.inodesTotal)} (${percent(fs.inodesTotal - fs.inodesFree, fs.inodesTotal)})`,
	];
}

const sameFs = (a: FilesystemStats | null, b: FilesystemStats) => Boolean(a) && (a!.device !== undefined ? a!.device === b.device : a!.path === b.path);

function engineSection(engine: ReportEngine): string[] {
	const {runtime: rt, filesystem: fs, ledger} = engine;
	const lines = [
		`Engine      ${sanitize(rt.name)} ${sanitize(rt.version)}${rt.apiVersion ? ` (API ${sanitize(rt.apiVersion)})` : ''}`,
		`Endpoint    ${sanitize(rt.endpoint)}`,
		`Storage     ${sanitize(rt.storageDriver)} on ${sanitize(rt.backingFilesystem)}${rt.rootDir ? `, root ${sanitize(rt.rootDir)}` : ''}`,
	];
	if (!fs) lines.push('Filesystem  not readable from here (remote engine or not root)');
	lines.push(
		'',
		row([
			['Where the bytes live', 28, 'left'],
			['bytes', 10, 'right'],
			['count', 7, 'right'],
			['reclaimable', 12, 'right'],
			['of used', 8, 'right'],
		]),
	);
	for (const key of ledgerCategories) {
		const entry = ledger[key];
		if (key === 'deletedOpen' && !entry) continue;
		const used = fs?.usedBytes ?? 0;
		lines.push(
			row([
				[`  ${ledgerLabels[key]}`, 28, 'left'],
				[entry ? bytes(entry.bytes) : rt.kind === 'cri' ? 'n/a' : 'pending', 10, 'right'],
				[entry ? String(entry.count) : '—', 7, 'right'],
				[bytes(reclaimable(key, entry)), 12, 'right'],
				[entry && used ? percent(entry.bytes, used) : '—', 8, 'right'],
			]),
		);
	}
	return lines;
}

/** Used bytes on each filesystem that no engine on it accounts for: the pressure may not be containers at all. */
function otherLines(report: Report): string[] {
	return report.filesystems.map(fs => {
		const engines = report.runtimes.filter(e => sameFs(e.filesystem, fs));
		const accounted = engines.reduce((t, e) => t + (fs.usedBytes - otherBytes(e.ledger, fs.usedBytes)), 0);
		const other = Math.max(0, fs.usedBytes - accounted);
		return row([
			[`Other files on ${sanitize(fs.path)}`, 38, 'left'],
			[bytes(other), 10, 'right'],
			[`${percent(other, fs.usedBytes)} of used`, 14, 'right'],
		]);
	});
}

function deletedOpenLines(report: Report): string[] {
	const files = report.deletedOpenFiles;
	if (!files || files.length === 0) return [];
	const lines = [`Deleted files still held open (${files.length}), freed when their holder closes them`];
	for (const f of files.slice(0, 20)) {
		const holder = f.container ? `${f.pod ? `${f.namespace}/${f.pod}/` : ''}${f.container} (${f.engine})` : `pid ${f.pid} ${f.command}${f.unit ? `, ${f.unit}` : ''}`;
		lines.push(
			row([
				[`  ${sanitize(holder)}`, 34, 'left'],
				[bytes(f.allocatedBytes), 10, 'right'],
				[` ${sanitize(f.path)}`, 34, 'left'],
			]),
		);
	}
	if (files.length > 20) lines.push(`  … and ${files.length - 20} more (report --json lists all)`);
	return [...lines, ''];
}

function containerLines(report: Report): string[] {
	const multi = report.runtimes.length > 1;
	const cols = (name: string, engine: string, state: string, w: string, a: string, l: string, image: string) =>
		row([
			[`  ${name}`, multi ? 19 : 22, 'left'],
			...(multi ? ([[engine, 10, 'left']] as Array<[string, number, 'left']>) : []),
			[state, 8, 'left'],
			[w, 9, 'right'],
			[a, 9, 'right'],
			[l, multi ? 8 : 9, 'right'],
			[image, multi ? 9 : 18, 'left'],
		]);
	const lines = [`Containers, largest writable layer first (${report.containers.length})`, cols('NAME', 'ENGINE', 'STATE', 'WRITABLE', 'ON DISK', 'LOGS', 'IMAGE')];
	for (const c of report.containers) {
		const name = c.pod ? `${c.pod}/${c.name}` : c.name;
		lines.push(cols(sanitize(name), sanitize(c.engine), c.state, bytes(c.writableBytes), bytes(c.writableAllocatedBytes), bytes(c.logBytes), sanitize(c.image)));
	}
	if (report.containers.length === 0) lines.push('  (no containers)');
	return lines;
}

function podLines(report: Report): string[] {
	if (report.pods.length === 0) return [];
	const multi = report.runtimes.length > 1;
	const cols = (name: string, engine: string, containers: string, writable: string, logs: string) =>
		row([[`  ${name}`, 30, 'left'], ...(multi ? ([[engine, 10, 'left']] as Array<[string, number, 'left']>) : []), [containers, 10, 'right'], [writable, 10, 'right'], [logs, 9, 'right']]);
	const lines = ['', `Pods, largest first (${report.pods.length})`, cols('POD', 'ENGINE', 'CONTAINERS', 'WRITABLE', 'LOGS')];
	for (const p of report.pods) {
		const name = p.namespace ? `${p.namespace}/${p.name}` : p.name;
		lines.push(cols(sanitize(name), sanitize(p.engine), String(p.containers), bytes(p.writableBytes), bytes(p.logBytes)));
	}
	return lines;
}

/** The human report: readable in 80 columns, every engine string sanitised. */
export function renderReportText(report: Report): string {
	const lines = [`layerscope report, ${report.generatedAt}`, ''];
	for (const fs of report.filesystems) lines.push(...filesystemLines(fs));
	const t = report.evictionThresholds;
	if (t) lines.push(...wrap(`Eviction thresholds: nodefs.available<${t.nodefsAvailable}, imagefs.available<${t.imagefsAvailable}, nodefs.inodesFree<${t.nodefsInodesFree} (from ${sanitize(t.source)})`));
	const k = report.kubelet;
	if (k) {
		lines.push(...wrap(`Kubelet image GC: imageGCHighThresholdPercent ${k.imageGc.highPercent}, imageGCLowThresholdPercent ${k.imageGc.lowPercent}${k.present ? '' : ' (kubelet defaults; no kubelet found)'}`));
		for (const r of k.reclaimOrder) lines.push(...wrap(`On ${sanitize(r.path)}: ${r.sentence}.`));
	}
	lines.push('');
	for (const engine of report.runtimes) lines.push(...engineSection(engine), '');
	lines.push(...otherLines(report), '');
	lines.push(...deletedOpenLines(report));
	lines.push(...containerLines(report));
	lines.push(...podLines(report));
	lines.push('', ...wrap(`Sizing: ${report.sizing.note}.`));
	for (const note of report.notes) lines.push(...wrap(`note: ${sanitize(note)}`));
	for (const warning of report.warnings) lines.push(...wrap(`warning: ${sanitize(warning)}`));
	return lines.join('\n') + '\n';
}
