import {WalkPool} from '../adapters/fs/walk-pool.js';
import {bytes} from '../domain/format.js';
import {sanitize} from '../domain/sanitize.js';
import {wrap} from '../domain/text-width.js';
import {connectEngines, type EngineFlags} from '../services/engines.js';
import {gatherAdvice} from '../services/gather-advice.js';

export interface PlanFlags extends EngineFlags {
	json: boolean;
	dfTimeout: number;
}

/** `layerscope plan`: suggestions and exact cleanup plans. Changes nothing: no mutation service is built here. */
export async function runPlan(flags: PlanFlags): Promise<number> {
	const {sources} = await connectEngines(flags);
	const pool = new WalkPool();
	try {
		const engines = await Promise.all(sources.map(source => source.scan({pool, diskUsageTimeoutMs: flags.dfTimeout * 1000})));
		const {suggestions} = await gatherAdvice(engines, sources);
		if (flags.json) {
			process.stdout.write(JSON.stringify({schemaVersion: 1, generatedAt: new Date().toISOString(), suggestions}, null, 2) + '\n');
			return 0;
		}
		for (const s of suggestions) {
			const head = `${s.kind === 'cleanup' ? 'CLEANUP ' : 'REDESIGN'} ${bytes(s.bytes).padStart(9)}  ${sanitize(s.title)}${s.subject ? ` (${sanitize(s.subject)})` : ''}`;
			process.stdout.write(wrap(head, 80, '                     ').join('\n') + '\n');
			for (const line of wrap(sanitize(s.reason), 71, '')) process.stdout.write(`         ${line}\n`);
			if (s.change) for (const line of wrap(`→ ${sanitize(s.change)}`, 71, '  ')) process.stdout.write(`         ${line}\n`);
			for (const item of s.plan?.items ?? []) process.stdout.write(`           - ${item.kind} ${sanitize(item.name)} ${bytes(item.bytes)}\n`);
		}
		if (suggestions.length === 0) process.stdout.write('Nothing to suggest: no reclaimable items and no redesign findings.\n');
		return 0;
	} finally {
		for (const source of sources) source.close();
		await pool.close();
	}
}
