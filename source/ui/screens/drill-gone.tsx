import {Box, Text} from 'ink';
import {truncate} from '../model/fit.js';

/** Shown for a moment when the drilled container vanishes; the screen then returns to the list. */
export function DrillGone({name, width, unknown = false}: {name: string | null; width: number; unknown?: boolean}) {
	return (
		<Box flexDirection="column" width={width}>
			<Text color="yellow" wrap="truncate-end">
				{truncate(unknown ? `No container named ${name ?? ''}; the list shows them.` : `The container ${name ?? ''} is gone: it was removed while this view was open.`.replace('  ', ' '), width)}
			</Text>
			<Text dimColor>Back to the list… (any key)</Text>
		</Box>
	);
}
