import {Box, Text} from 'ink';
import type {ClassBytes} from '../../domain/classify.js';
import type {MetadataCopyUpSummary} from '../../domain/metadata-copy-up.js';
import {fit} from '../model/fit.js';
import {bytes} from '../model/formatting.js';

/** Lines the panel takes for `classes`, title included. */
export const classSummaryLines = (classes: number, width: number, metadata = false) => 1 + Math.ceil(Math.max(1, classes) / (width >= 76 ? 2 : 1)) + (metadata ? 1 : 0);

/** The metadata-only copy-ups in one line: files, bytes, the likely cause (built from display-safe paths). */
export const metadataLine = (m: MetadataCopyUpSummary) => `  metadata only: ${m.files.toLocaleString('en-US')} files, ${bytes(m.bytes)}: ${m.cause}`;

function cell(c: ClassBytes, width: number): string {
	const lower = c.lowerBytes > 0 ? ` +${bytes(c.lowerBytes)} lower` : '';
	const name = c.class === 'metadata-copy-up' ? 'metadata-only' : c.class;
	return fit(`${fit(name, 13)} ${fit(bytes(c.bytes), 8, 'right')}${lower}`, width);
}

/** Bytes per class for the whole container: what kind of bytes the layer holds. */
export function ClassSummary({classes, width, label, metadata}: {classes: readonly ClassBytes[]; width: number; label: string; metadata?: MetadataCopyUpSummary}) {
	const columns = width >= 76 ? 2 : 1;
	const cellWidth = Math.floor((width - 2 - (columns - 1) * 2) / columns);
	const lines: string[] = [];
	for (let i = 0; i < classes.length; i += columns) {
		lines.push(
			'  ' +
				classes
					.slice(i, i + columns)
					.map(c => cell(c, cellWidth))
					.join('  '),
		);
	}
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">
				{fit(`Bytes per class ${label}; +lower: image bytes copied up or hidden`, width)}
			</Text>
			{lines.length === 0 ? <Text dimColor> nothing written yet</Text> : null}
			{lines.map((l, i) => (
				<Text key={i} wrap="truncate-end">
					{l}
				</Text>
			))}
			{metadata ? (
				<Text color="yellow" wrap="truncate-end">
					{fit(metadataLine(metadata), width)}
				</Text>
			) : null}
		</Box>
	);
}
