import {DockerClient} from '../adapters/docker/docker-client.js';
import {DockerReader} from '../adapters/docker/docker-reader.js';
import {resolveDockerEndpoint} from '../adapters/docker/endpoint.js';
import {WalkPool} from '../adapters/fs/walk-pool.js';
import {buildReport} from '../report/report-model.js';
import {renderReportText} from '../report/report-text.js';
import {scanDocker} from '../services/docker-scan.js';

export interface ReportFlags {
	host?: string;
	json: boolean;
	timeout: number;
	dfTimeout: number;
}

export async function runReport(flags: ReportFlags): Promise<number> {
	const endpoint = resolveDockerEndpoint(flags.host);
	const reader = new DockerReader(new DockerClient(endpoint, flags.timeout * 1000));
	const pool = new WalkPool();
	try {
		const engine = await scanDocker(reader, {pool, diskUsageTimeoutMs: flags.dfTimeout * 1000});
		const report = buildReport({takenAt: Date.now(), engines: [engine]});
		process.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : renderReportText(report));
		return 0;
	} finally {
		await pool.close();
	}
}
