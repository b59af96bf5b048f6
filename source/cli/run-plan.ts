import {DockerClient} from '../adapters/docker/docker-client.js';
import {DockerReader} from '../adapters/docker/docker-reader.js';
import {resolveDockerEndpoint} from '../adapters/docker/endpoint.js';
import {WalkPool} from '../adapters/fs/walk-pool.js';
import {advise} from '../domain/advise.js';
import {bytes} from '../domain/format.js';
import {sanitize} from '../domain/sanitize.js';
import {scanDocker} from '../services/docker-scan.js';
import {dockerImageFindings} from '../services/image-advice.js';

export interface PlanFlags {
	host?: string;
	json: boolean;
	timeout: number;
	dfTimeout: number;
}

/** `layerscope plan`: suggestions and exact cleanup plans. Changes nothing: no mutation service is built here. */
export async function runPlan(flags: PlanFlags): Promise<number> {
	const client = new DockerClient(resolveDockerEndpoint(flags.host), flags.timeout * 1000);
	const pool = new WalkPool();
	try {
		const engine = await scanDocker(new DockerReader(client), {pool, diskUsageTimeoutMs: flags.dfTimeout * 1000});
		const imageFindings = await dockerImageFindings(client, engine);
		const suggestions = advise({engines: [engine], imageFindings});
		if (flags.json) {
			process.stdout.write(JSON.stringify({schemaVersion: 1, generatedAt: new Date().toISOString(), suggestions}, null, 2) + '\n');
			return 0;
		}
		for (const s of suggestions) {
			process.stdout.write(`${s.kind === 'cleanup' ? 'CLEANUP ' : 'REDESIGN'} ${bytes(s.bytes).padStart(9)}  ${sanitize(s.title)}${s.subject ? ` (${sanitize(s.subject)})` : ''}\n`);
			process.stdout.write(`         ${sanitize(s.reason)}\n`);
			if (s.change) process.stdout.write(`         → ${sanitize(s.change)}\n`);
			for (const item of s.plan?.items ?? []) process.stdout.write(`           - ${item.kind} ${sanitize(item.name)} ${bytes(item.bytes)}\n`);
		}
		if (suggestions.length === 0) process.stdout.write('Nothing to suggest: no reclaimable items and no redesign findings.\n');
		return 0;
	} finally {
		await pool.close();
	}
}
