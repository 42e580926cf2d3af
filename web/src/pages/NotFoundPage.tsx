import { Link } from 'react-router';

/** Unknown routes, and ids the API answers 404 for (another organization's included). */
export default function NotFoundPage({ what = 'This page' }: { what?: string }) {
  return (
    <section className="not-found">
      <h1>Not found</h1>
      <p>{what} does not exist, or is not yours to see.</p>
      <Link to="/">Back to the fleet</Link>
    </section>
  );
}
