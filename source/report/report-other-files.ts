import type {OtherFilesBreakdown} from '../services/other-files.js';
import type {ReportOtherFile, ReportOtherFilesSummary} from './report-model.js';

/** The report's otherFiles[] (largest first) and one summary per walked filesystem. */
export function reportOtherFiles(breakdowns: readonly OtherFilesBreakdown[]): {otherFiles: ReportOtherFile[]; otherFilesSummary: ReportOtherFilesSummary[]} {
	const otherFiles = breakdowns
		.flatMap(b => b.entries)
		.map(e => ({path: e.path, bytes: e.bytes, class: e.class, ...(e.pod ? {pod: e.pod.name, namespace: e.pod.namespace} : {}), ...(e.user !== undefined ? {user: e.user} : {})}))
		.sort((a, b) => b.bytes - a.bytes);
	const otherFilesSummary = breakdowns.map(b => ({
		root: b.root,
		usedBytes: b.usedBytes,
		usedAfterBytes: b.usedAfterBytes,
		ledgerBytes: b.ledgerBytes,
		classifiedBytes: b.summary.classifiedBytes,
		unclassifiedBytes: b.summary.unclassifiedBytes,
		deletedOpenBytes: b.deletedOpenBytes,
		residualBytes: b.residualBytes,
		churnBytes: b.churnBytes,
		duplicateBytes: b.summary.duplicateBytes,
		errors: b.errors,
	}));
	return {otherFiles, otherFilesSummary};
}
