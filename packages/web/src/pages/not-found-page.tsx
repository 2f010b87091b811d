import { Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { PageHeader } from '../components/page-header';

export function NotFoundPage() {
  const location = useLocation();
  return (
    <>
      <PageHeader title="No such page" />
      <Text>
        There is no page at {location.pathname}. The navigation on the left lists every page;{' '}
        <Link to="/">the dashboard</Link> is the start.
      </Text>
    </>
  );
}
