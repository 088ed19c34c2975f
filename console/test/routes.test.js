// console/src/routes.js: hash routes, the API base, query strings, and what the
// OpenAPI document offers.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./load.js');

const R = load('routes.js');

test('the API base is where the console is served from, stage prefix kept', () => {
  assert.equal(R.apiBase('/v1/console'), '/v1');
  assert.equal(R.apiBase('/v1/console/'), '/v1');
  assert.equal(R.apiBase('/prod/v1/console'), '/prod/v1');
});

test('hash routes', () => {
  assert.deepEqual(R.parseHash(''), { section: 'campaigns', parts: [''] });
  assert.deepEqual(R.parseHash('#/gifts/c1'), { section: 'gifts', parts: ['gifts', 'c1'] });
  assert.deepEqual(R.routeOf('', false), { page: 'campaigns' });
  assert.deepEqual(R.routeOf('#/', false), { page: 'campaigns' });
  assert.deepEqual(R.routeOf('#/campaigns', false), { page: 'campaigns' });
  assert.deepEqual(R.routeOf('#/campaigns/new', false), { page: 'new-campaign' });
  assert.deepEqual(R.routeOf('#/campaigns/cmp%2F1', false), { page: 'campaign', arg: 'cmp/1' });
  assert.deepEqual(R.routeOf('#campaigns/c9', false), { page: 'campaign', arg: 'c9' });
  assert.deepEqual(R.routeOf('#/gifts', false), { page: 'gifts', arg: '' });
  assert.deepEqual(R.routeOf('#/gifts/c%201', false), { page: 'gifts', arg: 'c 1' });
  assert.deepEqual(R.routeOf('#/webhooks', true), { page: 'webhooks' });
  assert.deepEqual(R.routeOf('#/webhooks', false), { page: 'campaigns' }); // not offered by this API
  assert.deepEqual(R.routeOf('#/nowhere/at/all', true), { page: 'campaigns' });
});

test('queries: values encoded, the first page without a cursor', () => {
  assert.equal(R.withQuery('/campaigns', { limit: 20, cursor: null }), '/campaigns?limit=20');
  assert.equal(R.withQuery('/campaigns', { limit: 20, cursor: '' }), '/campaigns?limit=20');
  assert.equal(R.withQuery('/campaigns', { limit: 20, cursor: 'eyJrIjoiYS9iK2M9In0=' }),
    '/campaigns?limit=20&cursor=eyJrIjoiYS9iK2M9In0%3D');
  assert.equal(R.withQuery('/campaigns', { limit: 20, cursor: 'a&b=c d' }), '/campaigns?limit=20&cursor=a%26b%3Dc%20d');
  assert.equal(R.withQuery('/campaigns/c1/report', { granularity: null }), '/campaigns/c1/report');
  assert.equal(R.withQuery('/campaigns/c1/report', { granularity: 'hour' }), '/campaigns/c1/report?granularity=hour');
  assert.equal(R.withQuery('/x', {}), '/x');
  assert.equal(R.withQuery('/x', { n: 0 }), '/x?n=0'); // zero is a value
});

test('what the OpenAPI document offers, whatever the stage prefix', () => {
  const paths = {
    '/v1/webhook-endpoints': { get: {}, post: {} },
    '/v1/campaigns/{campaign_id}/exports': { post: {} },
    '/v1/campaigns/{campaign_id}/report': { get: { parameters: [{ name: 'campaign_id' }, { name: 'granularity' }] } }
  };
  assert.equal(R.hasOperation(paths, '/v1', '/webhook-endpoints'), true);
  assert.equal(R.hasOperation(paths, '/prod/v1', '/webhook-endpoints', 'post'), true);
  assert.equal(R.hasOperation(paths, '/v1', '/campaigns/{campaign_id}/exports'), false); // no GET
  assert.equal(R.hasOperation(paths, '/v1', '/campaigns/{campaign_id}/exports', 'post'), true);
  assert.equal(R.hasOperation(paths, '/v1', '/gifts/{code}/events'), false);
  assert.equal(R.hasOperation(null, '/v1', '/webhook-endpoints'), false); // not probed yet
  assert.equal(R.takesGranularity(paths), true);
  assert.equal(R.takesGranularity({ '/v1/campaigns/{campaign_id}/report': { get: {} } }), false);
  assert.equal(R.takesGranularity(null), false);
});
