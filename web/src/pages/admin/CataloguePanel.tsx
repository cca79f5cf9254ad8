import {
  Badge,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { TABLE_SCROLLER } from '../pageStyles';
import { getCatalogue } from './api';
import { useLoad } from './useLoad';

const useStyles = makeStyles({
  scroller: TABLE_SCROLLER,
  // Columns as wide as their content (never overlapping); the frame scrolls when the page is narrower.
  table: { tableLayout: 'auto', minWidth: '760px' },
  // A setting's name is one long word: let it wrap rather than widen the column.
  howTo: { display: 'block', overflowWrap: 'anywhere' },
});

/** The model catalogue: hosting, data classes each model may receive, capabilities, prices. */
export function CataloguePanel() {
  const { t } = useTranslation();
  const styles = useStyles();
  const [state] = useLoad(['admin', 'catalogue'], () => getCatalogue());
  if (state.kind === 'loading') return <Spinner label={t('admin.loading')} />;
  if (state.kind === 'failed') return <ErrorMessageBar error={state.error} />;
  return (
    <div className={styles.scroller} role="region" aria-label={t('admin.catalogue.title')} tabIndex={0}>
    <Table aria-label={t('admin.catalogue.title')} size="small" className={styles.table}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>{t('admin.catalogue.model')}</TableHeaderCell>
          <TableHeaderCell>{t('admin.catalogue.hosting')}</TableHeaderCell>
          <TableHeaderCell>{t('admin.catalogue.dataClasses')}</TableHeaderCell>
          <TableHeaderCell>{t('admin.catalogue.capabilities')}</TableHeaderCell>
          <TableHeaderCell>{t('admin.catalogue.prices')}</TableHeaderCell>
          <TableHeaderCell>{t('admin.catalogue.status')}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {state.value.models.map((model) => (
          <TableRow key={model.id}>
            <TableCell>
              <strong>{model.id}</strong>
              <br />
              {model.label}
            </TableCell>
            <TableCell>{t(`admin.hosting.${model.hosting}`)}</TableCell>
            <TableCell>{model.data_classes.map((c) => t(`admin.dataClass.${c}`)).join(', ')}</TableCell>
            <TableCell>
              {[
                model.kind === 'embedding' ? t('admin.catalogue.embedding') : null,
                model.capabilities.tools ? t('admin.catalogue.tools') : null,
                model.capabilities.streaming ? t('admin.catalogue.streaming') : null,
                t('admin.catalogue.context', { tokens: model.capabilities.context_tokens }),
              ]
                .filter(Boolean)
                .join(' · ')}
            </TableCell>
            <TableCell>
              {t('admin.catalogue.price', {
                input: model.prices.input_per_million,
                output: model.prices.output_per_million,
              })}
            </TableCell>
            <TableCell>
              <Badge appearance="tint" color={model.configured ? 'success' : 'subtle'}>
                {model.configured ? t('admin.catalogue.configured') : t('admin.catalogue.notConfigured')}
              </Badge>
              {!model.configured && (
                // Providers are configured by settings (never the policy): name the variable to set.
                <span className={styles.howTo}>
                  {t('admin.catalogue.howToConfigure', { variable: upstreamVariable(model.provider) })}
                </span>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
    </div>
  );
}

/** The setting that gives a provider its address (README, « Settings »): ARIANE_GATEWAY_UPSTREAMS__<PROVIDER>__BASE_URL. */
function upstreamVariable(provider: string): string {
  return `ARIANE_GATEWAY_UPSTREAMS__${provider.toUpperCase()}__BASE_URL`;
}
