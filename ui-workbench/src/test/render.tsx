import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nProvider, type Lang } from '../i18n';
import { NoticeProvider } from '../notices';

/** Renders a component inside the providers every page has, in the given language. */
export function renderWith(ui: ReactElement, lang: Lang = 'en') {
  return render(
    <I18nProvider lang={lang}>
      <NoticeProvider>{ui}</NoticeProvider>
    </I18nProvider>,
  );
}
