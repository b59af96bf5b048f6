import {describe, expect, it} from 'vitest';
import {noColorWanted, stripColour} from '../../source/ui/no-color.js';

describe('NO_COLOR', () => {
	it('is on when set and not empty', () => {
		expect(noColorWanted({NO_COLOR: '1'})).toBe(true);
		expect(noColorWanted({NO_COLOR: ''})).toBe(false);
		expect(noColorWanted({})).toBe(false);
	});

	it('takes colour out of every SGR sequence and keeps bold, dim, inverse and resets', () => {
		expect(stripColour('\x1b[33mwarn\x1b[39m')).toBe('warn');
		expect(stripColour('\x1b[1;32mok\x1b[22;39m')).toBe('\x1b[1mok\x1b[22m');
		expect(stripColour('\x1b[7m› row\x1b[27m \x1b[2mdim\x1b[22m \x1b[m')).toBe('\x1b[7m› row\x1b[27m \x1b[2mdim\x1b[22m \x1b[m');
		expect(stripColour('\x1b[38;5;208mx\x1b[48;2;1;2;3;1my\x1b[0m')).toBe('x\x1b[1my\x1b[0m');
		expect(stripColour('\x1b[91;103mbright\x1b[49m')).toBe('bright');
		// Cursor moves and erases (Ink's redraw) are not SGR: untouched.
		expect(stripColour('\x1b[2K\x1b[1A\x1b[G')).toBe('\x1b[2K\x1b[1A\x1b[G');
	});
});
