// MessagesService::search: a read, on a reader thread, never the writer.
#include "domain/message_search.hpp"
#include "domain/search_snippet.hpp"
#include "server/service/messages_service.hpp"
#include "server/service/room_access.hpp"

namespace parley::service {
namespace {

// The snippet comes from the text when a query word is in it, else from the file name when it is
// there; else from the text all the same (the engine's words and ours may differ a little, e.g.
// in how they fold letters outside ASCII).
domain::Snippet snippet_of(const domain::Message& m, const domain::SearchQuery& query) {
  if (!domain::has_search_hit(m.text, query) && m.attachment && domain::has_search_hit(m.attachment->name, query))
    return domain::search_snippet(m.attachment->name, query);
  return domain::search_snippet(m.text, query);
}

}  // namespace

void MessagesService::search(const Caller& caller, SearchRequest request, Done<SearchPage> done) {
  auto query = domain::parse_search_query(request.query);
  if (!query) return done(std::unexpected(query.error()));
  auto page = domain::search_page(request.limit, request.cursor);
  if (!page) return done(std::unexpected(page.error()));
  reads_.submit<SearchPage>(
      [caller, room = request.room, query = std::move(*query),
       page = *page](store::StoreSession& session) -> Result<SearchPage> {
        if (room) PARLEY_CHECK(authorize_room(session, *room, caller.user, domain::Action::read_room));
        // One more than asked tells whether a further page exists without a second query.
        PARLEY_TRY(found, session.search_messages(caller.user, query, room, page.offset, page.limit + 1));
        const bool more = static_cast<int>(found.size()) > page.limit;
        if (more) found.pop_back();
        SearchPage out;
        out.next_cursor = domain::next_search_cursor(page, found.size(), more);
        for (auto& m : found) {
          auto snippet = snippet_of(m, query);
          out.results.push_back(SearchResult{std::move(m), std::move(snippet)});
        }
        return out;
      },
      std::move(done));
}

}  // namespace parley::service
