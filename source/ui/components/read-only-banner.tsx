import {Text} from 'ink';
import {sanitize} from '../../domain/sanitize.js';
import {truncate} from '../model/fit.js';

/** What turned read-only on, for display: "--read-only", "LAYERSCOPE_READ_ONLY" or a config file path. */
export const readOnlySource = (source: string | null) => sanitize(source ?? 'read-only');

/** The one line that explains why confirmation is disabled (raw: sanitised where shown). */
export function readOnlyExplanation(source: string | null): string {
	return `read-only mode (${source ?? 'read-only'}): nothing can be removed; this is what would happen`;
}

/** Persistent top line on every screen while read-only mode is on. */
export function ReadOnlyBanner({source, width}: {source: string | null; width: number}) {
	const label = ' READ-ONLY ';
	const rest = truncate(` via ${readOnlySource(source)} · nothing can be removed in this session`, Math.max(0, width - label.length));
	return (
		<Text wrap="truncate-end">
			<Text inverse bold color="yellow">
				{label}
			</Text>
			<Text color="yellow">{rest}</Text>
		</Text>
	);
}
