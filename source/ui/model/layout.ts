/** How the overview divides the terminal. Pure, so resizes are testable. */

export const minColumns = 60;
export const minRows = 15;

export interface OverviewLayout {
	ledger: 'full' | 'compact' | 'hidden';
	ledgerLines: number;
	tableRows: number;
}

/** Header lines per filesystem group, plus the title line. */
export const headerLines = (groups: number) => 1 + 2 * Math.max(1, groups);

/**
 * Rows are one less than the terminal so Ink never takes its clear-the-screen path.
 * The table keeps at least 5 rows; the ledger shrinks first.
 */
export function overviewLayout(rows: number, groups = 1, categories = 8): OverviewLayout {
	const usable = rows - 1 - headerLines(groups) - 2; // table header + footer
	// title + one line per category + "other"; compact: title + two cells a line
	const full = groups * (categories + 2);
	const compact = groups * (1 + Math.ceil((categories + 1) / 2));
	if (usable - full >= 5) return {ledger: 'full', ledgerLines: full, tableRows: usable - full};
	if (usable - compact >= 4) return {ledger: 'compact', ledgerLines: compact, tableRows: usable - compact};
	return {ledger: 'hidden', ledgerLines: 0, tableRows: Math.max(1, usable)};
}

export interface Column {
	id: 'name' | 'engine' | 'state' | 'writable' | 'growth' | 'spark' | 'logs' | 'image';
	title: string;
	width: number;
	align: 'left' | 'right';
}

/**
 * Column widths for the container table: fixed figures, the rest split between name and image.
 * With pods (a Kubernetes node) the name holds the container and its pod, so it takes most of
 * the rest, and below 100 columns the trend makes room for it: every row must stay distinguishable.
 */
export function tableColumns(width: number, engines: number, pods = false): Column[] {
	const fixed: Column[] = [
		{id: 'state', title: 'STATE', width: 7, align: 'left'},
		{id: 'writable', title: 'WRITABLE', width: 9, align: 'right'},
		{id: 'growth', title: 'GROWTH/m', width: 9, align: 'right'},
		{id: 'spark', title: 'TREND', width: width >= 100 ? 12 : 8, align: 'left'},
		{id: 'logs', title: 'LOGS', width: 8, align: 'right'},
	];
	if (engines > 1) fixed.unshift({id: 'engine', title: 'ENGINE', width: 10, align: 'left'});
	const need = () => 2 + fixed.length + 1 + fixed.reduce((t, c) => t + c.width, 0) + 14;
	// Narrow terminals lose the trend first, then engine names are shortened.
	if (need() > width || (pods && width < 100))
		fixed.splice(
			fixed.findIndex(c => c.id === 'spark'),
			1,
		);
	const engineCol = fixed.find(c => c.id === 'engine');
	if (engineCol && need() > width) engineCol.width = Math.max(4, engineCol.width - (need() - width));
	const gaps = fixed.length + 1; // one space between columns (name and image included)
	const rest = Math.max(10, width - 2 - gaps - fixed.reduce((t, c) => t + c.width, 0));
	const name = Math.max(6, Math.ceil(rest * (pods ? 0.75 : 0.6)));
	return [{id: 'name', title: 'NAME', width: name, align: 'left'}, ...fixed, {id: 'image', title: 'IMAGE', width: Math.max(4, rest - name), align: 'left'}];
}
