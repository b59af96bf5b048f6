import {Text} from 'ink';
import {minColumns, minRows} from '../model/layout.js';

export function TooSmall({columns, rows}: {columns: number; rows: number}) {
	return <Text>{`terminal too small: ${columns}×${rows}, need ${minColumns}×${minRows}. Enlarge it, or q to quit.`.slice(0, Math.max(1, columns * 2 - 1))}</Text>;
}
