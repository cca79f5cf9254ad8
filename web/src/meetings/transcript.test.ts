import { describe, expect, it } from 'vitest';
import { citedCueIds, cueElementId, formatCueTime, transcriptPath } from './transcript';

describe('cited cues in a transcript link', () => {
  const ids = ['6d0e/12-0', '6d0e/13-1'];

  it('come from ?cues=, encoded as a whole or one by one', () => {
    expect(citedCueIds(`?cues=${encodeURIComponent(ids.join(','))}`, '')).toEqual(ids);
    expect(citedCueIds(`?cues=${ids.map(encodeURIComponent).join(',')}`, '')).toEqual(ids);
    expect(citedCueIds(`?cues=${ids.join(',')}`, '')).toEqual(ids);
  });

  it('come from the fragment too, without duplicates or blanks', () => {
    expect(citedCueIds('', `#cues=${encodeURIComponent(ids.join(','))}`)).toEqual(ids);
    expect(citedCueIds('', `#cue-${encodeURIComponent(ids[0] as string)}`)).toEqual([ids[0]]);
    expect(citedCueIds(`?cues=${ids[0]},,${ids[0]}`, '')).toEqual([ids[0]]);
    expect(citedCueIds('', '')).toEqual([]);
  });

  it('round-trip through the link the server builds', () => {
    const path = transcriptPath('evt-ag-dtnib-2025-06-19', ids);
    expect(path).toBe(`/reunions/evt-ag-dtnib-2025-06-19?cues=${encodeURIComponent(ids.join(','))}`);
    expect(citedCueIds(path.slice(path.indexOf('?')), '')).toEqual(ids);
    expect(cueElementId(ids[0] as string)).toBe('cue-6d0e/12-0');
  });
});

describe('cue times', () => {
  it('show hh:mm:ss', () => {
    expect(formatCueTime('00:12:03.120')).toBe('00:12:03');
    expect(formatCueTime('1:02:03')).toBe('01:02:03');
    expect(formatCueTime('12:03.5')).toBe('00:12:03');
    expect(formatCueTime('bientôt')).toBe('bientôt');
  });
});
