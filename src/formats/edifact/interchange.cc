#include "formats/edifact/interchange.h"

#include <charconv>
#include <string>

#include "formats/dates.h"

namespace vigil::edifact {
namespace {

long to_number(std::string_view s) {
  long v = -1;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// Checks a trailer's control count and reference against what was read.
void check_trailer(const Segment& seg, const Tokenizer& tk, long counted,
                   const std::string& expected_ref, const char* what, Diagnostics* diags) {
  const long declared = to_number(seg.raw(0));
  if (declared != counted)
    diags->warn(tk.where(seg), std::string(what) + " count is " + std::string(seg.raw(0)) +
                                   " but " + std::to_string(counted) + " were found");
  const std::string ref = seg.text(1);
  if (!expected_ref.empty() && ref != expected_ref)
    diags->warn(tk.where(seg), "reference '" + ref + "' does not match the header's '" +
                                   expected_ref + "'");
}

}  // namespace

bool read_interchange(std::string_view input, std::string_view file, const ReaderFor& reader_for,
                      Diagnostics* diags) {
  const size_t errors_before = diags->error_count();
  Tokenizer tk(input, std::string(file), diags);
  Segment seg;

  MessageHeader header;
  bool in_interchange = false, saw_unb = false;
  bool in_group = false;
  long messages_in_interchange = 0, groups = 0, messages_in_group = 0;
  std::string group_ref;

  MessageReader* reader = nullptr;  // non-null inside a supported message
  bool in_message = false;
  long segments_in_message = 0;
  Location message_start;
  long messages_total = 0;

  while (tk.Next(&seg)) {
    const std::string_view tag = seg.tag();
    if (in_message && tag != "UNT") {
      if (tag == "UNH" || tag == "UNZ" || tag == "UNE" || tag == "UNB") {
        diags->error(message_start, "message " + header.message_ref +
                                        " is not closed: no UNT before " + std::string(tag));
        in_message = false;
        reader = nullptr;
      } else {
        ++segments_in_message;
        if (reader) reader->OnSegment(seg, tk);
        continue;
      }
    }
    if (tag == "UNB") {
      if (in_interchange)
        diags->error(tk.where(seg), "interchange " + header.interchange_ref +
                                        " is not closed: no UNZ before the next UNB");
      saw_unb = in_interchange = true;
      messages_in_interchange = groups = 0;
      header = MessageHeader{};
      header.sender = seg.text(1, 0);
      header.recipient = seg.text(2, 0);
      const std::string date = seg.text(3, 0), time = seg.text(3, 1);
      header.prepared = iso_from_edifact(date + time, "", Century::kFuture, 0);
      header.interchange_ref = seg.text(4, 0);
    } else if (tag == "UNG") {
      in_group = true;
      ++groups;
      messages_in_group = 0;
      group_ref = seg.text(4, 0);
    } else if (tag == "UNE") {
      if (!in_group) diags->warn(tk.where(seg), "group trailer without a group header");
      check_trailer(seg, tk, messages_in_group, group_ref, "group message", diags);
      in_group = false;
    } else if (tag == "UNH") {
      if (!saw_unb && messages_total == 0)
        diags->warn(tk.where(seg), "message has no interchange header (UNB)");
      in_message = true;
      segments_in_message = 1;
      message_start = tk.where(seg);
      ++messages_total;
      ++messages_in_interchange;
      ++messages_in_group;
      header.message_ref = seg.text(0);
      const std::string type = seg.text(1, 0);
      header.version = seg.text(1, 1) + ":" + seg.text(1, 2);
      header.common_access_ref = seg.text(2);
      header.part_number = 1;
      header.last_part = true;
      if (!seg.empty(3)) {
        const long part = to_number(seg.raw(3, 0));
        header.part_number = part > 0 ? static_cast<uint32_t>(part) : 1;
        header.last_part = seg.text(3, 1) != "C";
      }
      header.message_function.clear();
      reader = reader_for(type);
      if (!reader) {
        diags->error(tk.where(seg), type.empty() ? std::string("message type is missing")
                                                 : "unsupported message type '" + type + "'");
      } else {
        reader->Begin(header);
      }
    } else if (tag == "UNT") {
      if (!in_message) {
        diags->warn(tk.where(seg), "message trailer without a message header");
        continue;
      }
      ++segments_in_message;
      check_trailer(seg, tk, segments_in_message, header.message_ref, "segment", diags);
      if (reader) reader->End(seg, tk);
      in_message = false;
      reader = nullptr;
    } else if (tag == "UNZ") {
      if (!in_interchange) diags->warn(tk.where(seg), "interchange trailer without a header");
      check_trailer(seg, tk, groups > 0 ? groups : messages_in_interchange,
                    header.interchange_ref, groups > 0 ? "interchange group" : "interchange message",
                    diags);
      in_interchange = false;
    } else {
      diags->warn(tk.where(seg), "segment outside any message is ignored");
    }
  }
  if (diags->error_count() == errors_before) {
    if (in_message) {
      diags->error(message_start, "input ends inside message " + header.message_ref +
                                      " (no UNT): the message is truncated");
    } else if (messages_total == 0) {
      diags->error(Location{std::string(file), 0, 0, 0, ""}, "no EDIFACT message (UNH) found");
    } else if (in_interchange) {
      diags->error(tk.where_offset(input.size(), "UNZ"),
                   "interchange is truncated: no UNZ trailer");
    }
  }
  return diags->error_count() == errors_before;
}

}  // namespace vigil::edifact
