// Placeholder until this page is built.
export default function AlertsPage() {
  return <h1>AlertsPage</h1>;
}
