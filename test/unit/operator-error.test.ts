import {describe, expect, it} from 'vitest';
import {CriError} from '../../source/adapters/cri/cri-error.js';
import {timeoutError, dockerError} from '../../source/adapters/docker/docker-errors.js';
import {EngineError} from '../../source/adapters/engine-error.js';
import {errorReport, formatError, OperatorError} from '../../source/domain/operator-error.js';

const endpoint = {display: 'unix:///run/x.sock', socketPath: '/run/x.sock', local: true} as Parameters<typeof dockerError>[1];

describe('one operator error', () => {
	it('carries message, hint and code; engine and CRI errors are operator errors', () => {
		const error = new OperatorError('bad\nthing', {hint: 'try\nthis', code: 'BAD'});
		expect([error.message, error.hint, error.code, error.exitCode]).toEqual(['bad thing', 'try this', 'BAD', 2]);
		expect(new EngineError('down', 'start it', 'ENOENT')).toBeInstanceOf(OperatorError);
		expect(new CriError('FAILED', 'boom', 'unix:///c.sock', 'look at the log')).toBeInstanceOf(OperatorError);
	});

	it('one formatter: one sanitized line, the hint after it; no hint text inside engine messages', () => {
		const refused = dockerError({code: 'ECONNREFUSED'}, endpoint, 'info');
		expect(refused.message).toBe('cannot reach Docker at unix:///run/x.sock: connection refused');
		expect(formatError(refused)).toBe('cannot reach Docker at unix:///run/x.sock: connection refused (hint: is dockerd running? Check the socket or --host)');
		expect(timeoutError(endpoint, 'info', 4000).hint).toMatch(/--timeout/);
		expect(formatError(new Error('first\nsecond\n  at stack'))).toBe('first');
		expect(formatError('plain \x1b]0;title\x07')).toBe('plain \\e]0;title\\x07');
		expect(formatError(Object.assign(new Error('x'), {hint: 'y'}))).toBe('x (hint: y)');
	});

	it('the stack only with --debug', () => {
		const error = new OperatorError('gone', {hint: 'retry'});
		expect(errorReport(error)).toBe('layerscope: gone (hint: retry)\n');
		expect(errorReport(error, true)).toMatch(/^layerscope: gone \(hint: retry\)\nOperatorError: gone\n\s+at /);
	});
});
