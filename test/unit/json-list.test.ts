import { describe, expect, it } from 'vitest';
import { parseJsonList } from '../../server/src/services/json-list';

describe('lists stored as JSON', () => {
  it.each([
    ['["refund","order"]', ['refund', 'order']],
    ['["a",1,null,{"x":1},"b"]', ['a', 'b']],
    ['["<script>","Возврат","退款"]', ['<script>', 'Возврат', '退款']],
    ['{"0":"a"}', []],
    ['"refund"', []],
    ['not json', []],
    ['', []],
    [null, []],
    [undefined, []],
  ])('%j reads as %j', (raw, expected) => {
    expect(parseJsonList(raw)).toEqual(expected);
  });
});
