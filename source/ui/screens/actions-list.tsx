import {Box, Text} from 'ink';
import {sanitize} from '../../domain/sanitize.js';
import {wrap} from '../../domain/text-width.js';
import type {ActionEntry} from '../model/action-entries.js';
import {fit, truncate} from '../model/fit.js';
import {bytes} from '../model/formatting.js';
import type {AdviceStatus} from '../hooks/use-advice.js';
import type {CacheFilterPrompt} from '../state/cache-filter-state.js';

export interface ActionsListProps {
	entries: readonly ActionEntry[];
	advice: AdviceStatus;
	cursor: number;
	top: number;
	width: number;
	height: number;
	notice: string | null;
	/** The build-cache prompt, while the operator types a choice. */
	filter?: CacheFilterPrompt | null;
}

/** Lines under the list for the entry at the cursor. */
export const detailLines = 5;
/** Title, separator, notice and footer. */
export const listChrome = 4 + detailLines;

const tag = (e: ActionEntry) => (e.security ? 'SECURITY' : e.kind === 'cleanup' ? 'CLEANUP' : e.kind === 'picker' ? 'CHOOSE' : 'REDESIGN');
const tagColor = (e: ActionEntry) => (e.security ? 'red' : e.kind === 'redesign' ? 'magenta' : 'cyan');

function label(e: ActionEntry, engines: boolean): string {
	const count = e.plan ? `  (${e.plan.items.length} item${e.plan.items.length === 1 ? '' : 's'})` : '';
	const engine = engines && e.engine ? ` [${sanitize(e.engine)}]` : '';
	return sanitize(e.title) + engine + (e.subject ? ` — ${sanitize(e.subject)}` : '') + count;
}

function detail(e: ActionEntry | undefined, width: number): string[] {
	if (!e) return [];
	const lines = wrap(sanitize(e.reason), width, '');
	if (e.change) lines.push(...wrap(`→ ${sanitize(e.change)}`, width, '  '));
	else if (e.plan) lines.push(`Enter: review every item before anything is removed`);
	return lines.slice(0, detailLines);
}

export function ActionsList({entries, advice, cursor, top, width, height, notice, filter}: ActionsListProps) {
	const rows = Math.max(1, height - listChrome);
	const status =
		advice.status === 'running'
			? `computing suggestions… ${Math.round(advice.elapsedMs / 1000)}s (classifying the top containers, reading image history)`
			: advice.status === 'waiting'
				? advice.scanning
					? `waiting for the scan to finish (${advice.scanning}) before suggesting anything…`
					: 'waiting for a fresh sample after the cleanup…'
				: advice.status === 'error'
					? `advice failed: ${advice.error}  (r retry)`
					: `${entries.length} suggestion(s), security first, then by bytes`;
	const visible = entries.slice(top, top + rows);
	const engines = new Set(entries.map(e => e.engine).filter(Boolean)).size > 1;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold wrap="truncate-end">
				{truncate(`Actions  ·  ${status}`, width)}
			</Text>
			<Box flexDirection="column" height={rows}>
				{visible.map((e, i) => {
					const at = top + i === cursor;
					return (
						<Text key={top + i} inverse={at} wrap="truncate-end">
							{at ? '›' : ' '}
							<Text color={tagColor(e)}>{fit(tag(e), 9)}</Text>
							{fit(bytes(e.bytes), 9, 'right')}
							{'  '}
							{truncate(label(e, engines), Math.max(1, width - 21))}
						</Text>
					);
				})}
				{entries.length === 0 && advice.status === 'done' ? <Text>Nothing to suggest: no reclaimable items and no redesign findings.</Text> : null}
			</Box>
			<Text dimColor>{'─'.repeat(Math.max(0, width))}</Text>
			<Box flexDirection="column" height={detailLines}>
				{detail(entries[cursor], width).map((line, i) => (
					<Text key={i} wrap="truncate-end">
						{truncate(line, width)}
					</Text>
				))}
			</Box>
			{filter ? (
				<>
					<Text wrap="truncate-end">{truncate(`Build cache to prune (all | 24h | 7d | keep 5GB): ${sanitize(filter.input)}▏`, width)}</Text>
					<Text color={filter.error ? 'yellow' : undefined} dimColor={!filter.error} wrap="truncate-end">
						{truncate(filter.error ? sanitize(filter.error) : 'Enter apply  Esc keep current   age: unused that long · keep: cap the cache', width)}
					</Text>
				</>
			) : (
				<>
					<Text color="yellow" wrap="truncate-end">
						{truncate(notice ? sanitize(notice) : '', width)}
					</Text>
					<Text dimColor wrap="truncate-end">
						{truncate(`↑↓ move  Enter review plan${entries.some(e => e.buildCache) ? '  c build cache' : ''}  r recompute  Esc back  ? help  q quit`, width)}
					</Text>
				</>
			)}
		</Box>
	);
}
