import {Box, Text} from 'ink';
import {fitWidth} from '../../domain/text-width.js';
import {bindings} from '../keymap.js';

/** Every key, read from the keymap. */
export function Help({width}: {width: number}) {
	return (
		<Box flexDirection="column" width={width} borderStyle="round" paddingX={1}>
			<Text bold>Keys</Text>
			{bindings.map(b => (
				<Text key={b.command} wrap="truncate-end">
					<Text color="cyan">{fitWidth(b.keys, 10)}</Text>
					{b.help}
				</Text>
			))}
			<Text dimColor wrap="truncate-end">
				Growth is the median slope of the last samples; eviction is estimated at the current total growth.
			</Text>
			<Text dimColor>? or Esc closes this help</Text>
		</Box>
	);
}
