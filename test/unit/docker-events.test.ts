import {describe, expect, it} from 'vitest';
import {eventDecoder, eventFilters, parseEngineEvent} from '../../source/adapters/docker/docker-events.js';

// Shapes as Docker 20.10 sends them on /events (and Podman's compat spellings).
describe('Docker /events decoding', () => {
	it('maps container, image and volume events, with the new name of a rename', () => {
		const at = 1_700_000_000;
		expect(parseEngineEvent({Type: 'container', Action: 'start', Actor: {ID: 'c1', Attributes: {name: 'web'}}, time: at})).toEqual({type: 'container', action: 'start', id: 'c1', name: 'web', at: at * 1000});
		expect(parseEngineEvent({Type: 'container', Action: 'rename', Actor: {ID: 'c1', Attributes: {name: 'new', oldName: '/old'}}, timeNano: at * 1e9})?.name).toBe('new');
		expect(parseEngineEvent({Type: 'container', Action: 'remove', Actor: {ID: 'c1'}})?.action).toBe('destroy');
		expect(parseEngineEvent({Type: 'container', Action: 'died', Actor: {ID: 'c1'}})?.action).toBe('die');
		expect(parseEngineEvent({Type: 'image', Action: 'untag', Actor: {ID: 'sha256:abc'}})).toMatchObject({type: 'image', action: 'untag', id: 'sha256:abc'});
		expect(parseEngineEvent({Type: 'volume', Action: 'destroy', Actor: {ID: 'data'}})).toMatchObject({type: 'volume', action: 'destroy', id: 'data'});
	});

	it('ignores what the console does not act on', () => {
		expect(parseEngineEvent({Type: 'container', Action: 'exec_start: sh -c ls', Actor: {ID: 'c1'}})).toBeNull();
		expect(parseEngineEvent({Type: 'network', Action: 'connect', Actor: {ID: 'n1'}})).toBeNull();
		expect(parseEngineEvent({Type: 'container', Action: 'start'})).toBeNull();
		expect(parseEngineEvent('start')).toBeNull();
	});

	it('splits the stream by lines, whatever the chunks', () => {
		const seen: unknown[] = [];
		const decode = eventDecoder(raw => seen.push(raw));
		const text = '{"a":1}\n{"b":2}\nnot json\n{"c":3}\n';
		for (let i = 0; i < text.length; i += 5) decode(Buffer.from(text.slice(i, i + 5)));
		expect(seen).toEqual([{a: 1}, {b: 2}, {c: 3}]);
	});

	it('asks the engine only for those events', () => {
		expect(eventFilters.type).toEqual(['container', 'image', 'volume']);
		expect(eventFilters.event).toEqual(expect.arrayContaining(['create', 'start', 'die', 'destroy', 'rename', 'delete', 'untag']));
	});
});
