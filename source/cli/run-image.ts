import {existsSync, readFileSync} from 'node:fs';
import {parse as parseYaml} from 'yaml';
import {DockerClient} from '../adapters/docker/docker-client.js';
import {resolveDockerEndpoint} from '../adapters/docker/endpoint.js';
import type {PrefetchedImage} from '../adapters/docker/runtime-prefetch.js';
import {evaluateRules, resolveRules, type Rule, type RuleKey} from '../domain/image-ci.js';
import {bytes} from '../domain/format.js';
import {sanitize} from '../domain/sanitize.js';
import {fitWidth, wrap} from '../domain/text-width.js';
import {imageError, loadImage, type ImageReport} from '../services/image-explorer.js';

export interface ImageFlags {
	host?: string;
	runtime?: string;
	timeout: number;
	json: boolean;
	ci?: boolean;
	ciConfig?: string;
	lowestEfficiency?: string;
	highestWastedBytes?: string;
	highestUserWastedPercent?: string;
	highestInvisibleBytes?: string;
	source?: string;
	/** The inspect of this image asked for ahead (cli/launch-command.ts), used when it is for the client's socket. */
	prefetchedImage?: PrefetchedImage;
}

/** The CI rules: the file (--ci-config, else ./.dive-ci when present), flags on top, dive's defaults. */
export function ciRules(flags: ImageFlags, cwd = process.cwd()): Rule[] {
	let fileRules: Record<string, unknown> | null = null;
	const file = flags.ciConfig ?? (existsSync(`${cwd}/.dive-ci`) ? `${cwd}/.dive-ci` : undefined);
	if (file !== undefined) {
		let text: string;
		try {
			text = readFileSync(file, 'utf8');
		} catch (error) {
			throw imageError(`cannot read the CI rules file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'give --ci-config FILE, a YAML file with a "rules:" map as dive reads it');
		}
		let doc: unknown;
		try {
			doc = parseYaml(text);
		} catch (error) {
			throw imageError(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, "dive's format: rules:\\n  lowestEfficiency: 0.95");
		}
		const rules = (doc as {rules?: unknown} | null)?.rules;
		if (rules !== undefined && rules !== null && (typeof rules !== 'object' || Array.isArray(rules))) {
			throw imageError(`${file}: "rules" is not a map`, "dive's format: rules:\\n  lowestEfficiency: 0.95");
		}
		fileRules = (rules as Record<string, unknown>) ?? {};
	}
	const flagRules: Partial<Record<RuleKey, string>> = {};
	for (const key of ['lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent', 'highestInvisibleBytes'] as const) {
		if (flags[key] !== undefined) flagRules[key] = String(flags[key]);
	}
	return resolveRules(fileRules, flagRules);
}

const pct = (ratio: number) => `${(ratio * 100).toFixed(2)}%`;

export function renderImageText(r: ImageReport): string {
	const out: string[] = [];
	out.push(`Image       ${sanitize(r.image)}  ${r.imageId.slice(7, 19)}`);
	out.push(`Source      ${sanitize(r.sourceDetail)}`);
	out.push(`Size        ${bytes(r.sizeBytes)} in ${r.layers.length} layers (${bytes(r.userSizeBytes)} above the first)`);
	out.push(`Efficiency  ${pct(r.efficiency)}   wasted ${bytes(r.wastedBytes)} (${r.wastedBytes} bytes)   user wasted ${pct(r.userWastedPercent)}`);
	out.push(`Invisible   ${bytes(r.invisibleBytes)} (${r.invisibleBytes} bytes) stored in layers, not visible in the final filesystem`);
	out.push('', 'Layers (oldest first)      size     added  modified   removed    files  command');
	for (const l of r.layers) {
		const cmd = sanitize(
			l.createdBy
				.replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
				.replace(/^(RUN )?\/bin\/sh -c /, 'RUN ')
				.replace(/\s+#\s*buildkit$/, ''),
		);
		out.push(
			`  ${String(l.index).padStart(2)} ${l.digest.slice(7, 19)}  ${fitWidth(bytes(l.bytes), 9, 'right')} ${fitWidth(bytes(l.addedBytes), 9, 'right')} ${fitWidth(bytes(l.modifiedBytes), 9, 'right')} ${fitWidth(bytes(l.removedBytes), 9, 'right')} ${String(l.files).padStart(8)}  ${fitWidth(cmd, 60)}`.trimEnd(),
		);
	}
	if (r.inefficiencies.length > 0) {
		out.push('', 'Inefficiencies (largest first)   count   cumulative    invisible  path');
		for (const x of r.inefficiencies.slice(0, 15)) {
			out.push(`  ${String(x.count).padStart(31)} ${fitWidth(bytes(x.cumulativeBytes), 12, 'right')} ${fitWidth(bytes(x.invisibleBytes), 12, 'right')}  ${sanitize(x.path)}`);
		}
		if (r.inefficiencies.length > 15) out.push(`  … ${r.inefficiencies.length - 15} more (--json lists all)`);
	}
	if (r.findings.length > 0) {
		out.push('', 'Findings');
		for (const f of r.findings) {
			out.push(`  ${f.kind} (${bytes(f.bytes)})`);
			const indented = (text: string) => wrap(text, 92, '  ').map(line => `    ${line}`);
			out.push(...indented(sanitize(f.reason)));
			out.push(...indented(`change: ${sanitize(f.change)}`));
			if (f.paths?.length)
				out.push(
					...indented(
						`paths: ${f.paths
							.slice(0, 8)
							.map(p => sanitize(p))
							.join(', ')}${f.paths.length > 8 ? ', …' : ''}`,
					),
				);
		}
	}
	out.push('', r.usedBy.length > 0 ? `Used by     ${r.usedBy.map(c => `${sanitize(c.name)} (${sanitize(c.state)})`).join(', ')}` : 'Used by     no container');
	if (r.sharedLayers.length > 0) {
		out.push('Shares layers with');
		for (const s of r.sharedLayers.slice(0, 10)) out.push(`  ${fitWidth(sanitize(s.image), 40)} ${s.layers} layer(s), ${bytes(s.bytes)}`);
	} else out.push('Shares no layer with another image');
	for (const w of r.warnings) out.push(`warning: ${sanitize(w)}`);
	return out.join('\n') + '\n';
}

/** `layerscope image NAME|ID [--json] [--ci …]`. */
export async function runImage(name: string | undefined, flags: ImageFlags): Promise<number> {
	if (!name) throw imageError('which image?', 'layerscope image NAME|ID (`docker images` lists them)');
	if (flags.runtime === 'cri') {
		throw imageError(
			"the CRI API gives an image's total size and digests only, not its layers' files, so no layer analysis is possible through it",
			'for containerd, use its Docker-compatible engine or run `layerscope image` where Docker holds the image',
		);
	}
	if (flags.source !== undefined && !['auto', 'store', 'export'].includes(flags.source)) {
		throw imageError(`--source ${flags.source}`, '--source auto, store or export');
	}
	const rules = flags.ci ? ciRules(flags) : [];
	const client = new DockerClient(resolveDockerEndpoint(flags.host), flags.timeout * 1000);
	const ahead = flags.prefetchedImage;
	const mine = ahead && ahead.name === name && ahead.socketPath === client.endpoint.socketPath ? ahead : undefined;
	const {report} = await loadImage(client, name, {
		source: (flags.source ?? 'auto') as 'auto' | 'store' | 'export',
		inspected: mine?.inspect,
		containers: mine?.containers,
		images: mine?.images,
	});
	if (!flags.ci) {
		process.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : renderImageText(report));
		return 0;
	}
	const results = evaluateRules(rules, report);
	const pass = results.every(r => r.status !== 'FAIL');
	if (flags.json) {
		process.stdout.write(JSON.stringify({...report, ci: {pass, results}}, null, 2) + '\n');
	} else {
		process.stdout.write(
			`${sanitize(report.image)}: efficiency ${pct(report.efficiency)}, wasted ${bytes(report.wastedBytes)}, user wasted ${pct(report.userWastedPercent)}, invisible ${bytes(report.invisibleBytes)} (from the ${report.source === 'store' ? 'layer store' : 'export stream'})\n`,
		);
		for (const r of results) process.stdout.write(r.line + '\n');
		process.stdout.write(pass ? 'PASS\n' : 'FAIL\n');
	}
	return pass ? 0 : 1;
}
