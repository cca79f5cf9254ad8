import { render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatLocator } from './citations';
import { configureAnswerLinks, Markdown, safeHref } from './markdown';

/** The rendered HTML without the newlines the renderer puts between elements. */
function html(text: string): string {
  return render(<Markdown text={text} />)
    .container.innerHTML.replace(/\n+</g, '<')
    .replace(/<br>\n/g, '<br>')
    .replace(/\n<\/code>/g, '</code>');
}

describe('the Markdown subset', () => {
  beforeEach(() => configureAnswerLinks(['.chru-exemple.fr']));
  afterEach(() => configureAnswerLinks([]));

  it('renders a lead line then a numbered list', () => {
    expect(html('Voici les points :\n\n1. **Premier** point\n2. Deuxième *point*\n3. `code`')).toBe(
      '<p>Voici les points :</p><ol><li><strong>Premier</strong> point</li><li>Deuxième <em>point</em></li><li><code>code</code></li></ol>',
    );
  });

  it('renders a list right under its lead, bullets, nesting and a start number', () => {
    expect(html('Lead\n- a\n  - a.1\n- b')).toBe('<p>Lead</p><ul><li>a<ul><li>a.1</li></ul></li><li>b</li></ul>');
    expect(html('3. trois\n4. quatre')).toBe('<ol start="3"><li>trois</li><li>quatre</li></ol>');
  });

  it('renders headings below the page headings, quotes, code blocks, rules, tables and line breaks', () => {
    expect(html('# Titre\n> cité\n\n```\n<b>x</b>\n```\n---\nligne 1\nligne 2')).toBe(
      '<h3>Titre</h3><blockquote><p>cité</p></blockquote><pre><code>&lt;b&gt;x&lt;/b&gt;</code></pre><hr><p>ligne 1<br>ligne 2</p>',
    );
    expect(html('| a | b |\n|---|---|\n| 1 | 2 |')).toBe(
      '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>',
    );
  });

  it('keeps an unfinished stream readable: an open code fence or emphasis', () => {
    expect(html('Texte **gras')).toBe('<p>Texte **gras</p>');
    expect(html('```\nen cours')).toBe('<pre><code>en cours</code></pre>');
  });

  it('never lets markup through: HTML stays text', () => {
    const { container } = render(
      <Markdown text={'<img src=x onerror="alert(1)"> <script>alert(2)</script>\n\n**<iframe src="https://x">**'} />,
    );
    expect(container.querySelector('img, script, iframe')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror="alert(1)">');
  });

  it('links only to web, mail and same-site addresses', () => {
    expect(html('[site](https://intranet.chru-exemple.fr/rh) [x](javascript:alert(1)) [d](data:text/html,hi)')).toBe(
      '<p><a href="https://intranet.chru-exemple.fr/rh" target="_blank" rel="noopener noreferrer">site</a> x d</p>',
    );
    expect(safeHref('/chat/1')).toBe('/chat/1');
    expect(safeHref('//evil.example')).toBeNull();
    expect(safeHref('JaVaScRiPt:alert(1)')).toBeNull();
  });

  it('shows an image as its description only, never loading it', () => {
    expect(html('Voir ![le plan du site](https://evil.example/track.png)')).toBe('<p>Voir le plan du site</p>');
  });

  it('hands citation markers to the caller, outside code, and leaves unknown ones as text', () => {
    const renderFootnote = (index: number) => (index === 2 ? <sup data-testid={`cite-${index}`}>{index}</sup> : null);
    const { container } = render(
      <Markdown text={'Le plafond est de 110 € [2], voir aussi [^3] et `tableau[2]`.'} renderFootnote={renderFootnote} />,
    );
    expect(container.querySelectorAll('sup')).toHaveLength(1);
    expect(container.textContent).toBe('Le plafond est de 110 € 2, voir aussi [^3] et tableau[2].');
  });

  it('leaves escaped characters and snake_case alone', () => {
    expect(html('\\*pas en italique\\* et mon_nom_de_variable')).toBe('<p>*pas en italique* et mon_nom_de_variable</p>');
  });
});

describe('locators', () => {
  it('show a transcript time range to the second, and anything else as it is', () => {
    expect(formatLocator('00:12:03.120–00:12:41.900')).toBe('00:12:03–00:12:41');
    expect(formatLocator('00:01:00-00:01:30')).toBe('00:01:00–00:01:30');
    expect(formatLocator('page 8')).toBe('page 8');
  });
});

// Written against the rendered page (anchors and text), not the renderer's internals, so that these
// tests hold for any Markdown renderer the answers move to.
describe('links in answers', () => {
  beforeEach(() => configureAnswerLinks(['chru-exemple.fr', '.chru-exemple.fr']));
  afterEach(() => configureAnswerLinks([]));

  function anchors(text: string): string[] {
    const { container } = render(<Markdown text={text} />);
    return Array.from(container.querySelectorAll('a')).map((a) => a.getAttribute('href') ?? '');
  }

  it('makes links to allowed hosts and to this site clickable', () => {
    expect(
      anchors('[RH](https://intranet.chru-exemple.fr/rh) [site](https://chru-exemple.fr/) [fil](/chat/1) <mailto:drh@chru-exemple.fr>'),
    ).toEqual(['https://intranet.chru-exemple.fr/rh', 'https://chru-exemple.fr/', '/chat/1', 'mailto:drh@chru-exemple.fr']);
  });

  it('shows a link to any other host as text, its address visible', () => {
    const { container } = render(
      <Markdown text={'[Réinitialisez votre mot de passe](https://evil.example/login) et <https://evil.example/x>'} />,
    );
    expect(container.querySelector('a')).toBeNull();
    expect(container.textContent).toBe(
      'Réinitialisez votre mot de passe (https://evil.example/login) et https://evil.example/x',
    );
  });

  it('is not fooled by look-alike hosts', () => {
    for (const url of [
      'https://chru-exemple.fr.evil.example/',
      'https://evilchru-exemple.fr/',
      'https://intranet.chru-exemple.fr@evil.example/',
      'mailto:x@evil.example?cc=drh@chru-exemple.fr',
      '//evil.example/',
    ]) {
      expect(anchors(`[ici](${url})`)).toEqual([]);
    }
  });

  it('shows every outside link as text when no host is allowed', () => {
    configureAnswerLinks([]);
    expect(anchors('[RH](https://intranet.chru-exemple.fr/rh) [fil](/chat/1)')).toEqual(['/chat/1']);
  });
});
