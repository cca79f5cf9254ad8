import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { Route, Routes, useLocation } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { Citation } from '../../chat/types';
import { renderWithProviders } from '../../test/render';
import { Answer } from './Answer';
import { SourcesList } from './Citations';

const MARCHAL: Citation = {
  index: 1,
  source: 'transcript',
  id: 'ag-dtnib',
  title: 'Assemblée générale DTNIB',
  locator: '00:12:03.120–00:12:41.900',
  quote: 'Nous ouvrirons une plateforme IA institutionnelle.',
  url: null,
  speaker: 'Hélène Marchal',
};
const RIGTT: Citation = {
  index: 2,
  source: 'document',
  id: 'rigtt',
  title: 'Règlement intérieur du temps de travail',
  locator: 'page 8',
  quote: 'Le temps d’astreinte est compensé.',
  url: 'https://chruexemple.sharepoint.com/sites/rh/RIGTT.pdf#page=8',
  speaker: null,
};

describe('footnotes in an answer', () => {
  it('turn known markers into superscript links, and leave an unknown index as text', () => {
    const { container } = renderWithProviders(
      <Answer text={'1. Plateforme[1]\n2. Astreinte [^2]\n3. Ailleurs [7]'} citations={[MARCHAL, RIGTT]} turnKey="r1" />,
    );
    const first = screen.getByRole('link', { name: 'Source 1 : Assemblée générale DTNIB' });
    expect(first.textContent).toBe('[1]');
    expect(first.closest('sup')).not.toBeNull();
    expect(first.getAttribute('href')).toBe('#source-r1-1'); // no url: the « Sources » entry
    const second = screen.getByRole('link', { name: 'Source 2 : Règlement intérieur du temps de travail' });
    expect(second.getAttribute('href')).toBe(RIGTT.url);
    expect(container.querySelectorAll('sup')).toHaveLength(2);
    expect(container.textContent).toContain('Ailleurs [7]');
  });

  it('does not let markup in the answer or a citation through', () => {
    const evil: Citation = { ...MARCHAL, title: '<b>titre</b>', quote: '<img src=x onerror=alert(1)>', url: 'javascript:alert(1)' };
    const { container } = renderWithProviders(
      <Answer text={'<img src=x onerror=alert(1)>[1] <a href="javascript:alert(1)">lien</a>'} citations={[evil]} turnKey="r1" />,
    );
    expect(container.querySelector('img, b')).toBeNull();
    expect(container.querySelector('a[href^="javascript"]')).toBeNull();
    expect(screen.getByRole('link', { name: 'Source 1 : <b>titre</b>' }).getAttribute('href')).toBe('#source-r1-1');
  });

  it('preview the speaker, time and quote when a marker gets the focus', async () => {
    const user = userEvent.setup();
    renderWithProviders(<Answer text="Point [1]" citations={[MARCHAL]} turnKey="r1" />);
    await user.tab();
    expect(document.activeElement?.textContent).toBe('[1]');
    expect(await screen.findByText('Hélène Marchal · 00:12:03–00:12:41')).toBeTruthy();
    expect(screen.getByText('« Nous ouvrirons une plateforme IA institutionnelle. »')).toBeTruthy();
  });
});

describe('citations of a transcript', () => {
  const cues = encodeURIComponent('6d0e/12-0,6d0e/13-1');
  const cited: Citation = { ...MARCHAL, url: `/reunions/evt-ag-dtnib-2025-06-19?cues=${cues}` };

  function Where() {
    const location = useLocation();
    return <p data-testid="where">{`${location.pathname}${location.search}`}</p>;
  }

  function renderChat(ui: ReactElement) {
    return renderWithProviders(
      <Routes>
        <Route path="/chat/t1" element={ui} />
        <Route path="*" element={<Where />} />
      </Routes>,
      { path: '/chat/t1' },
    );
  }

  it('open the transcript in the app from the footnote marker', async () => {
    const user = userEvent.setup();
    renderChat(<Answer text="Point [1]" citations={[cited]} turnKey="r1" />);
    const marker = screen.getByRole('link', { name: 'Source 1 : Assemblée générale DTNIB' });
    expect(marker.getAttribute('href')).toBe(cited.url);
    expect(marker.getAttribute('target')).toBeNull();
    await user.click(marker);
    expect(screen.getByTestId('where').textContent).toBe(cited.url);
  });

  it('open the transcript in the app from the « Sources » list, with the keyboard', async () => {
    const user = userEvent.setup();
    renderChat(<SourcesList citations={[cited, RIGTT]} turnKey="r1" />);
    expect(screen.getByRole('link', { name: RIGTT.title }).getAttribute('target')).toBe('_blank');
    screen.getByRole('link', { name: cited.title }).focus();
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('where').textContent).toBe(cited.url);
  });
});
