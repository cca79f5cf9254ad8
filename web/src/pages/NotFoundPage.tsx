import { QuestionCircle24Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { BackHomeButton } from './BackHomeButton';
import { PageMessage } from './PageMessage';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <PageMessage icon={QuestionCircle24Regular} title={t('notFound.title')} body={t('notFound.body')}>
      <BackHomeButton label={t('notFound.back')} />
    </PageMessage>
  );
}
