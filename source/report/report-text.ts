import {count, bytes, percent} from '../domain/format.js';
import {ledgerCategories, otherBytes} from '../domain/ledger.js';
import {ledgerLabels, reclaimable} from '../domain/ledger-labels.js';
import {sanitize} from '../domain/sanitize.js';
import {fitWidth} from '../domain/text-width.js';
import type {Report, ReportEngine} from './report-model.js';

const row = (cells: Array<[string, number, 'left' | 'right']>) => cells.map(([text, width, align]) => fitWidth(text, width, align)).join(' ').trimEnd();

function engineSection(engine: ReportEngine): string[] {
	const {runtime: rt, filesystem: fs, ledger} = engine;
	const lines = [
		`Engine      ${sanitize(rt.name)} ${sanitize(rt.version)}${rt.apiVersion ? ` (API ${sanitize(rt.apiVersion)})` : ''}`,
		`Endpoint    ${sanitize(rt.endpoint)}`,
		`Storage     ${sanitize(rt.storageDriver)} on ${sanitize(rt.backingFilesystem)}${rt.rootDir ? `, root ${sanitize(rt.rootDir)}` : ''}`,
	];
	if (fs) {
		lines.push(
			`Filesystem  ${bytes(fs.usedBytes)} used of ${bytes(fs.sizeBytes)} (${percent(fs.usedBytes, fs.sizeBytes)}), ${bytes(fs.availableBytes)} available`,
			`Inodes      ${count(fs.inodesTotal - fs.inodesFree)} used of ${count(fs.inodesTotal)} (${percent(fs.inodesTotal - fs.inodesFree, fs.inodesTotal)})`,
		);
	} else lines.push('Filesystem  not readable from here (remote engine or not root)');
	lines.push('', row([['Where the bytes live', 28, 'left'], ['bytes', 10, 'right'], ['count', 7, 'right'], ['reclaimable', 12, 'right'], ['of used', 8, 'right']]));
	for (const key of ledgerCategories) {
		const entry = ledger[key];
		const used = fs?.usedBytes ?? 0;
		lines.push(
			row([
				[`  ${ledgerLabels[key]}`, 28, 'left'],
				[entry ? bytes(entry.bytes) : 'pending', 10, 'right'],
				[entry ? String(entry.count) : '—', 7, 'right'],
				[bytes(reclaimable(key, entry)), 12, 'right'],
				[entry && used ? percent(entry.bytes, used) : '—', 8, 'right'],
			]),
		);
	}
	if (fs) {
		const other = otherBytes(ledger, fs.usedBytes);
		lines.push(row([['  Other files on this fs', 28, 'left'], [bytes(other), 10, 'right'], ['', 7, 'right'], ['', 12, 'right'], [percent(other, fs.usedBytes), 8, 'right']]));
	}
	return lines;
}

/** The human report: readable in 80 columns, every engine string sanitised. */
export function renderReportText(report: Report): string {
	const lines = [`layerscope report, ${report.generatedAt}`, ''];
	for (const engine of report.runtimes) lines.push(...engineSection(engine), '');
	lines.push(`Containers, largest writable layer first (${report.containers.length})`);
	lines.push(row([['  NAME', 22, 'left'], ['STATE', 8, 'left'], ['WRITABLE', 9, 'right'], ['ON DISK', 9, 'right'], ['LOGS', 9, 'right'], ['IMAGE', 18, 'left']]));
	for (const c of report.containers) {
		lines.push(
			row([
				[`  ${sanitize(c.name)}`, 22, 'left'],
				[c.state, 8, 'left'],
				[bytes(c.writableBytes), 9, 'right'],
				[bytes(c.writableAllocatedBytes), 9, 'right'],
				[bytes(c.logBytes), 9, 'right'],
				[sanitize(c.image), 18, 'left'],
			]),
		);
	}
	if (report.containers.length === 0) lines.push('  (no containers)');
	lines.push('', `Sizing: ${report.sizing.note}.`);
	for (const warning of report.warnings) lines.push(`warning: ${sanitize(warning)}`);
	return lines.join('\n') + '\n';
}
