// gitops-promote `kustomize-image`: one entry name (with {app}) or a JSON object service → entry name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKustomizeImage } from '../../actions/gitops-promote/inputs.js';

describe('gitops-promote kustomize-image', () => {
  it('one name applies to every service; empty means the image repository (undefined)', () => {
    assert.equal(parseKustomizeImage('{app}-image', ['api'])('api'), '{app}-image');
    assert.equal(parseKustomizeImage('', ['api'])('api'), undefined);
  });
  it('a JSON object maps each service to its entry; unnamed services fall back to the repository', () => {
    const pick = parseKustomizeImage('{"api":"registry.example/api","docs":"docs-image"}', ['api', 'worker']);
    assert.equal(pick('api'), 'registry.example/api');
    assert.equal(pick('worker'), undefined);
    assert.equal(pick('docs'), undefined, 'a service this run does not promote is ignored');
  });
  it('bad JSON or non-string names fail naming the input', () => {
    assert.throws(() => parseKustomizeImage('{"api":', ['api']), /Input 'kustomize-image': is not valid JSON/);
    assert.throws(() => parseKustomizeImage('{"api":""}', ['api']), /Input 'kustomize-image': must be an entry name or a JSON object/);
    assert.throws(() => parseKustomizeImage('{"api":1}', ['api']), /Input 'kustomize-image'/);
  });
});
