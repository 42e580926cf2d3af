// Placeholder until this page is built.
export default function SetupPage() {
  return <h1>SetupPage</h1>;
}
