import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VitrineError } from '../src/core/errors.ts';
import type { Trainer } from '../src/ml/model.ts';
import { algorithmNames, getTrainer, hasTrainer, registerTrainer } from '../src/ml/registry.ts';

const stub = (algorithm: string): Trainer => ({
  algorithm, defaults: {}, resolveParams: () => ({}),
  train: () => Promise.reject(new Error('not trained in this test')), load: () => Promise.reject(new Error('not loaded in this test')),
});

describe('trainer registry', () => {
  it('a registered trainer is found by name until it is unregistered', () => {
    const trainer = stub('registry-test-a');
    assert.equal(hasTrainer('registry-test-a'), false);
    const unregister = registerTrainer(trainer);
    assert.equal(getTrainer('registry-test-a'), trainer);
    assert.equal(algorithmNames().at(-1), 'registry-test-a', 'after the built-ins');
    unregister();
    assert.equal(hasTrainer('registry-test-a'), false);
    assert.throws(() => getTrainer('registry-test-a'), (e: unknown) => e instanceof VitrineError && e.code === 'VITRINE_MODEL_UNKNOWN_ALGORITHM');
  });

  it('a built-in name cannot be taken; an unregister after a replacement leaves the replacement', () => {
    assert.throws(() => registerTrainer(stub('als')), /built-in/);
    assert.equal(getTrainer('als').algorithm, 'als');
    const first = registerTrainer(stub('registry-test-b'));
    const second = stub('registry-test-b');
    const undoSecond = registerTrainer(second);
    first();
    assert.equal(getTrainer('registry-test-b'), second);
    undoSecond();
    assert.equal(hasTrainer('registry-test-b'), false);
  });
});
