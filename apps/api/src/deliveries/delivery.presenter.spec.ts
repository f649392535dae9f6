import { truncateUtf8 } from './delivery.presenter';

describe('truncateUtf8', () => {
  it('keeps text within the limit as it is', () => {
    expect(truncateUtf8('héllo', 6)).toEqual({ text: 'héllo', truncated: false });
    expect(truncateUtf8('', 0)).toEqual({ text: '', truncated: false });
  });

  it('cuts at the byte limit', () => {
    expect(truncateUtf8('abcdef', 4)).toEqual({ text: 'abcd', truncated: true });
  });

  it('never cuts a multi-byte character in half', () => {
    // 'é' is 2 bytes, '€' 3, '😀' 4 (a surrogate pair in UTF-16).
    expect(truncateUtf8('aé€😀', 2)).toEqual({ text: 'a', truncated: true });
    expect(truncateUtf8('aé€😀', 5)).toEqual({ text: 'aé', truncated: true });
    expect(truncateUtf8('aé€😀', 6)).toEqual({ text: 'aé€', truncated: true });
    expect(truncateUtf8('aé€😀', 9)).toEqual({ text: 'aé€', truncated: true });
    expect(truncateUtf8('aé€😀', 10)).toEqual({ text: 'aé€😀', truncated: false });
  });
});
