import { Button, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger } from '@fluentui/react-components';
import { ArrowDownload20Regular, DocumentText20Regular, DocumentRibbon20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ExportFormat, exportThread } from '../../chat/api';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';

/** Download the conversation as Markdown or Word, every answer with its sources. */
export function ExportMenu({ threadId }: { threadId: string }) {
  const { t, i18n } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const download = async (format: ExportFormat) => {
    try {
      const { blob, filename } = await exportThread(threadId, format, i18n.language);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      link.click();
      URL.revokeObjectURL(url);
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <>
      <Menu positioning="below-end">
        <MenuTrigger disableButtonEnhancement>
          <Button appearance="subtle" icon={<ArrowDownload20Regular />}>
            {t('chat.export.button')}
          </Button>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            <MenuItem icon={<DocumentText20Regular />} onClick={() => void download('markdown')}>
              {t('chat.export.markdown')}
            </MenuItem>
            <MenuItem icon={<DocumentRibbon20Regular />} onClick={() => void download('docx')}>
              {t('chat.export.docx')}
            </MenuItem>
          </MenuList>
        </MenuPopover>
      </Menu>
      {error !== null && <ErrorMessageBar error={error} />}
    </>
  );
}
