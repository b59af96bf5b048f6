import {Box, Text} from 'ink';
import {fitWidth, stringWidth} from '../../domain/text-width.js';
import {bindings, keyLabel} from '../keymap.js';

type Binding = (typeof bindings)[number];

const keysWidth = 10;
/** Title and footer lines; the border takes two more when there is room for it. */
const chrome = 2;
const border = 2;
/** Width of each of the two columns inside the border and padding, two spaces apart. */
const columnWidth = (width: number) => Math.floor((width - 4 - 2) / 2);

/**
 * One binding per line when they fit the height; otherwise consecutive short bindings
 * share a line in two columns, so every key stays visible at 80×24 without truncating
 * any explanation.
 */
export function helpRows(width: number, height: number): Binding[][] {
	const single = bindings.map(b => [b]);
	if (single.length + chrome + border <= height) return single;
	const column = columnWidth(width);
	const short = (b: Binding | undefined) => b !== undefined && keysWidth + stringWidth(b.help) <= column;
	const rows: Binding[][] = [];
	for (let i = 0; i < bindings.length; i++) {
		const b = bindings[i]!;
		if (short(b) && short(bindings[i + 1])) rows.push([b, bindings[++i]!]);
		else rows.push([b]);
	}
	return rows;
}

function Entry({binding, width}: {binding: Binding; width?: number}) {
	const text = (
		<>
			<Text color="cyan">{fitWidth(keyLabel(binding), keysWidth)}</Text>
			{width === undefined ? binding.help : fitWidth(binding.help, width - keysWidth)}
		</>
	);
	return <Text wrap="truncate-end">{text}</Text>;
}

/** Every key, read from the keymap. */
export function Help({width, height}: {width: number; height: number}) {
	const column = columnWidth(width);
	const rows = helpRows(width, height);
	const framed = rows.length + chrome + border <= height;
	return (
		<Box flexDirection="column" width={width} borderStyle={framed ? 'round' : undefined} paddingX={1}>
			<Text wrap="truncate-end">
				<Text bold>Keys</Text>
				<Text dimColor>{'  ? or Esc closes this help'}</Text>
			</Text>
			{rows.map(row =>
				row.length === 1 ? (
					<Entry key={row[0]!.command} binding={row[0]!} />
				) : (
					<Box key={row[0]!.command}>
						<Entry binding={row[0]!} width={column} />
						<Text>{'  '}</Text>
						<Entry binding={row[1]!} width={column} />
					</Box>
				),
			)}
			<Text dimColor wrap="truncate-end">
				Growth is the median slope of the last samples; eviction is estimated at the current total growth.
			</Text>
		</Box>
	);
}
