import '@testing-library/jest-dom/vitest';
import { configure } from '@testing-library/react';

// jsdom has no layout; CodeMirror measures text ranges, which must at least exist.
if (typeof Range !== 'undefined') {
  Range.prototype.getClientRects = () => ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList;
  Range.prototype.getBoundingClientRect = () => new DOMRect(0, 0, 0, 0);
}

// findBy*/waitFor poll for their condition up to this long: the default second is too short when four builds share two
// cores (Catalog.test's form refusal missed it under a load average of 16, and passed alone).
configure({ asyncUtilTimeout: 5000 });
