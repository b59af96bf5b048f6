import type {ContainerClasses, Suggestion} from '../domain/advise.js';
import type {FilesystemPressure} from '../domain/eviction.js';
import {bytes, count, duration, percent} from '../domain/format.js';
import {ledgerCategories} from '../domain/ledger.js';
import {ledgerLabels, reclaimable} from '../domain/ledger-labels.js';
import {sanitize} from '../domain/sanitize.js';
import type {FilesystemStats} from '../domain/types.js';
import type {Report, ReportContainer} from './report-model.js';

export interface MarkdownExtras {
	hostname: string;
	readOnly: boolean;
	pressure: Array<{fs: FilesystemStats; pressure: FilesystemPressure}>;
	suggestions: Suggestion[];
	classes: ContainerClasses[];
	/** Seconds between the samples that gave growth rates; null with one sample. */
	sampledSeconds: number | null;
}

/** Markdown-safe cell: sanitised, with pipes and backticks escaped. */
const cell = (text: string) => sanitize(text).replace(/([|`*_[\]<>])/g, '\\$1');

function filesystemSection(extras: MarkdownExtras, report?: Report): string[] {
	const lines = [
		'## Filesystems and eviction headroom',
		'',
		...(report?.evictionThresholds ? [`Kubelet eviction thresholds from ${cell(report.evictionThresholds.source)}.`, ''] : []),
		...(report?.kubelet
			? [
					`Kubelet image GC at ${report.kubelet.imageGc.highPercent}% disk usage, down to ${report.kubelet.imageGc.lowPercent}% (imageGCHighThresholdPercent / imageGCLowThresholdPercent).`,
					...report.kubelet.reclaimOrder.map(r => `- ${cell(r.path)}: ${cell(r.sentence)}`),
					'',
				]
			: []),
		'| filesystem | used | available | inodes used | eviction starts at | headroom | state |',
		'|---|---|---|---|---|---|---|',
	];
	for (const {fs, pressure} of extras.pressure) {
		const headroom = fs.availableBytes - pressure.thresholdBytes;
		lines.push(
			`| ${cell(fs.path)} | ${bytes(fs.usedBytes)} of ${bytes(fs.sizeBytes)} (${percent(fs.usedBytes, fs.sizeBytes)}) | ${bytes(fs.availableBytes)} | ${count(fs.inodesTotal - fs.inodesFree)} of ${count(fs.inodesTotal)} | ${pressure.signal} < ${bytes(pressure.thresholdBytes)} | ${headroom > 0 ? bytes(headroom) : '**crossed**'} | ${pressure.worst} |`,
		);
	}
	return [...lines, ''];
}

function ledgerSection(report: Report): string[] {
	const lines = ['## Where the bytes live', ''];
	for (const engine of report.runtimes) {
		lines.push(`### ${cell(engine.runtime.name)} ${cell(engine.runtime.version)} (${cell(engine.runtime.endpoint)})`, '', '| category | bytes | count | reclaimable |', '|---|---:|---:|---:|');
		for (const key of ledgerCategories) {
			const entry = engine.ledger[key];
			if (key === 'deletedOpen' && !entry) continue;
			lines.push(`| ${ledgerLabels[key]} | ${entry ? bytes(entry.bytes) : 'n/a'} | ${entry?.count ?? '—'} | ${bytes(reclaimable(key, entry))} |`);
		}
		lines.push('');
	}
	return lines;
}

function deletedOpenSection(report: Report): string[] {
	const files = report.deletedOpenFiles;
	if (!files || files.length === 0) return [];
	const lines = ['## Deleted files still held open', '', '| holder | pid | command | path | allocated | apparent |', '|---|---:|---|---|---:|---:|'];
	for (const f of files.slice(0, 50)) {
		const holder = f.container ? `${f.pod ? `${f.namespace}/${f.pod}/` : ''}${f.container} (${f.engine})` : `host${f.unit ? `, ${f.unit}` : ''}`;
		lines.push(`| ${cell(holder)} | ${f.pid} | ${cell(f.command)} | ${cell(f.path)} | ${bytes(f.allocatedBytes)} | ${bytes(f.bytes)} |`);
	}
	if (files.length > 50) lines.push('', `… and ${files.length - 50} more.`);
	return [...lines, ''];
}

function growerSection(report: Report, extras: MarkdownExtras): string[] {
	const rate = (c: ReportContainer) => c.growthBytesPerSec ?? 0;
	const top = [...report.containers].sort((a, b) => rate(b) - rate(a) || (b.writableBytes ?? 0) - (a.writableBytes ?? 0)).slice(0, 10);
	const title = extras.sampledSeconds ? `## Top growers (over ${duration(extras.sampledSeconds)})` : '## Largest writable layers (one sample: no growth rates)';
	const lines = [title, '', '| container | engine | state | writable | growth/min | logs | classes |', '|---|---|---|---:|---:|---:|---|'];
	for (const c of top) {
		const classes = extras.classes.find(x => x.containerId === c.id)?.classes ?? [];
		const breakdown = classes.length ? classes.map(x => `${x.class} ${bytes(x.bytes)}`).join(', ') : '—';
		const growth = c.growthBytesPerSec === undefined ? '—' : bytes(c.growthBytesPerSec * 60);
		lines.push(`| ${cell(c.pod ? `${c.namespace ? `${c.namespace}/` : ''}${c.pod}/${c.name}` : c.name)} | ${cell(c.engine)} | ${c.state} | ${bytes(c.writableBytes)} | ${growth} | ${bytes(c.logBytes)} | ${cell(breakdown)} |`);
	}
	return [...lines, ''];
}

/** CRI and Podman pods, largest first: what each pod holds on this node (its infra container included). */
function podSection(report: Report): string[] {
	if (report.pods.length === 0) return [];
	const lines = [`## Pods (${report.pods.length}), largest first`, '', '| pod | engine | containers | writable | logs | total |', '|---|---|---:|---:|---:|---:|'];
	for (const p of report.pods) {
		const name = `${p.namespace ? `${p.namespace}/` : ''}${p.name}${p.infra ? ` (infra: ${p.infra})` : ''}`;
		lines.push(`| ${cell(name)} | ${cell(p.engine)} | ${p.containers} | ${bytes(p.writableBytes)} | ${bytes(p.logBytes)} | ${bytes(p.writableBytes + p.logBytes)} |`);
	}
	return [...lines, ''];
}

function suggestionSection(extras: MarkdownExtras): string[] {
	const lines = ['## Suggested actions', ''];
	if (extras.suggestions.length === 0) lines.push('Nothing to suggest.');
	for (const s of extras.suggestions) {
		lines.push(`- **${s.kind}** (${bytes(s.bytes)}): ${cell(s.title)}${s.subject ? ` — ${cell(s.subject)}` : ''}. ${cell(s.reason)}.${s.change ? ` Change: ${cell(s.change)}.` : ''}`);
		for (const item of s.plan?.items.slice(0, 20) ?? []) lines.push(`  - ${item.kind} \`${sanitize(item.name).replace(/`/g, "'")}\` (${bytes(item.bytes)})`);
		if ((s.plan?.items.length ?? 0) > 20) lines.push(`  - … and ${s.plan!.items.length - 20} more`);
	}
	return [...lines, ''];
}

/** A document to attach to an incident or audit record. */
export function renderReportMarkdown(report: Report, extras: MarkdownExtras): string {
	const engines = report.runtimes.map(e => `${cell(e.runtime.name)} ${cell(e.runtime.version)} (${cell(e.runtime.storageDriver)} on ${cell(e.runtime.backingFilesystem)})`).join('; ');
	const lines = [
		`# layerscope disk report: ${cell(extras.hostname)}`,
		'',
		`- Time: ${report.generatedAt}`,
		`- Node: ${cell(extras.hostname)}`,
		`- Engines: ${engines}`,
		`- Mode: ${extras.readOnly ? 'read-only (no action could be taken)' : 'read-write'}`,
		'',
		...filesystemSection(extras, report),
		...ledgerSection(report),
		...deletedOpenSection(report),
		...growerSection(report, extras),
		...podSection(report),
		...suggestionSection(extras),
	];
	for (const warning of report.warnings) lines.push(`> warning: ${cell(warning)}`);
	return lines.join('\n') + '\n';
}
