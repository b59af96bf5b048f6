import {WalkPool} from '../adapters/fs/walk-pool.js';
import {buildReport} from '../report/report-model.js';
import {renderReportText} from '../report/report-text.js';
import {connectEngines, type EngineFlags} from '../services/engines.js';

export interface ReportFlags extends EngineFlags {
	json: boolean;
	dfTimeout: number;
}

export async function runReport(flags: ReportFlags): Promise<number> {
	const {sources, notes} = await connectEngines(flags);
	const pool = new WalkPool();
	try {
		const engines = await Promise.all(sources.map(source => source.scan({pool, diskUsageTimeoutMs: flags.dfTimeout * 1000})));
		const report = buildReport({takenAt: Date.now(), engines}, notes);
		process.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : renderReportText(report));
		return 0;
	} finally {
		for (const source of sources) source.close();
		await pool.close();
	}
}
