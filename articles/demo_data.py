"""Fictional demo articles written for the Newsportal project.

All people, places, clubs, companies and events in this module are invented for
demonstration purposes. Any resemblance to real persons or organisations is coincidental.
"""

CATEGORIES = [
    {
        "name": "World News",
        "slug": "world-news",
        "description": "International stories, regional affairs and news from around the globe.",
    },
    {
        "name": "Politics",
        "slug": "politics",
        "description": "Government, assemblies, elections and the decisions that shape public life.",
    },
    {
        "name": "Business",
        "slug": "business",
        "description": "Companies, markets, jobs and the economy, explained plainly.",
    },
    {
        "name": "Sport",
        "slug": "sport",
        "description": "Results, reports and features from across the sporting world.",
    },
    {
        "name": "Premier League",
        "slug": "premier-league",
        "description": "Match reports, club news and analysis from the top division.",
    },
    {
        "name": "Technology",
        "slug": "technology",
        "description": "New tools, digital services and how technology changes everyday life.",
    },
]

ARTICLES = [
    {
        "category": "world-news",
        "title": "Flood barriers hold as storm surge reaches the port city of Varnholm",
        "slug": "flood-barriers-hold-as-storm-surge-reaches-varnholm",
        "standfirst": (
            "Emergency crews in Varnholm reported no major breaches as the tide peaked at its "
            "highest level in more than thirty years."
        ),
        "authors": ["Maya Okafor", "Tomas Lind"],
        "body": (
            "Flood barriers along the harbour front in Varnholm held as a storm "
            "surge pushed sea levels to their highest point in more than three decades. City officials "
            "said the tide peaked at about {peak}, about forty centimetres below the top of the main "
            "barrier.\n\n"
            "Around 2,000 residents in low-lying streets near the old fish market had been asked to "
            "stay with friends or at temporary shelters set up in two school halls. Most were expected "
            "to return home within hours, once engineers had inspected the flood gates.\n\n"
            "The barrier system, completed eleven years ago after a long public debate about its cost, "
            "had never before been tested at this height. 'It did exactly what it was designed to do,' "
            "said Ingrid Sollen, the city's head of coastal defence. 'But we will be looking closely "
            "at the data before anyone draws firm conclusions.'\n\n"
            '![](image:barrier-map "full")\n\n'
            "## What happens next\n\n"
            "Forecasters expect winds to ease over the coming hours, although a smaller surge is "
            "possible on the next high tide. The city has asked residents to:\n\n"
            "- keep away from the harbour wall until the next high tide has passed;\n"
            "- check on neighbours who live alone in the low-lying streets;\n"
            "- follow official notices and [our World News coverage](/world-news/) rather than "
            "rumours shared online.\n\n"
            "> It did exactly what it was designed to do. Now we check every bolt before the next "
            "tide.\n\n"
            "Ferry services to the outer islands remain suspended until the next high tide has passed.\n\n"
            "Video (in this demo, an openly licensed short film stands in for the newsroom's footage):\n\n"
            "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
        ),
        # Pictures placed in the body (`![](image:<key>)` above): drawn like the lead images, put in the library.
        "body_pictures": {
            "barrier-map": {
                "alt": "Illustration: the harbour front seen from above, with the barrier's eight gates closed",
                "caption": "The barrier closes the harbour mouth with eight steel gates.",
                "credit": "Newsportal illustration",
                "colour": "#3b6e8f",
            },
        },
        "hours_ago": 6.0,  # when its live coverage started (LIVE_COVERAGE)
        # Clock times in the text, as minutes before the demo loads: `{peak}` reads "17:25" when it loads at 20:35.
        "clock": {"peak": 190},
        "status": "published",
        "featured": True,
        "breaking_hours": 6,
        "image_alt": "Illustration: stylised sea wall with waves breaking beneath a stormy grey sky",
        "image_caption": "Varnholm's harbour barriers faced their first major test.",
        "image_credit": "Newsportal illustration",
        "colour": "#1f4e79",
    },
    {
        "category": "politics",
        "title": "Regional assembly backs plan to reopen rural rail lines in Eastmoor",
        "slug": "regional-assembly-backs-plan-to-reopen-rural-rail-lines",
        "standfirst": (
            "Members voted 41 to 19 in favour of a feasibility study into restoring passenger services on "
            "two branch lines closed in the 1960s."
        ),
        "authors": ["Harriet Cole"],
        "body": (
            "The Eastmoor regional assembly has voted to fund a detailed study into reopening two "
            "rural branch lines that lost their passenger services more than sixty years ago. The "
            "motion passed by 41 votes to 19 after a debate lasting most of the afternoon.\n\n"
            "Supporters argued that restored services would connect market towns such as Hollowby and "
            "Rendle Cross to the main line, cutting journey times to the regional capital by up to an "
            "hour. Several members pointed to rising numbers of older residents who no longer drive.\n\n"
            "Opponents did not dispute the aim but questioned the likely cost, which early estimates "
            "put at several hundred million pounds. 'We should be honest with people that a study is "
            "not a train,' said assembly member Gareth Pell during the debate.\n\n"
            "The feasibility work is expected to take eighteen months. A final decision on whether to "
            "seek construction funding would follow a public consultation."
        ),
        "hours_ago": 1.2,
        "status": "published",
        "featured": False,
        "image_alt": ("Illustration: single railway track curving through green hills towards a small station"),
        "image_caption": "The study will examine two branch lines closed to passengers in the 1960s.",
        "image_credit": "Newsportal illustration",
        "colour": "#2e4a3a",
    },
    {
        "category": "premier-league",
        "title": "Calderbridge City come from behind to beat Ashworth Rovers 3-2",
        "slug": "calderbridge-city-come-from-behind-to-beat-ashworth-rovers",
        "standfirst": (
            "Two goals in the final twenty minutes turned the match around at Riverside Park, lifting "
            "Calderbridge into the top half of the table."
        ),
        "authors": ["Owen Hartley"],
        "body": (
            "Calderbridge City came from two goals down to beat Ashworth Rovers 3-2 at Riverside Park, "
            "with substitute Leon Varty scoring the winner in the 87th minute. The result lifts "
            "Calderbridge into ninth place, while Ashworth remain fourth.\n\n"
            "Ashworth had looked comfortable at the break after a goal from Danny Frew and a deflected "
            "free kick by captain Rui Felgate. Calderbridge struggled to create chances in the first "
            "half and were booed off by sections of the home crowd.\n\n"
            "The change in tempo came after the introduction of Varty and winger Kwame Oduya on the "
            "hour. Oduya's low cross was turned in by Sam Whitlow in the 71st minute, and defender "
            "Callum Reid headed the equaliser from a corner six minutes later.\n\n"
            "'We asked the players to be braver with the ball, and they responded,' said Calderbridge "
            "manager Petra Hollis. Ashworth travel to Dunmere United next weekend, while Calderbridge "
            "face a midweek cup tie."
        ),
        "hours_ago": 2.5,
        "status": "published",
        "featured": False,
        "image_alt": "Illustration: abstract football pitch markings under bright floodlights",
        "image_caption": "Calderbridge scored three times in the second half at Riverside Park.",
        "image_credit": "Newsportal illustration",
        "colour": "#5a2a3c",
    },
    {
        "category": "business",
        "title": "Brackenford bakery chain Hollin & Sons to open 40 new shops",
        "slug": "brackenford-bakery-chain-hollin-sons-to-open-40-new-shops",
        "standfirst": (
            "The family-owned business says the expansion will create about 600 jobs, with most of the new "
            "branches planned for towns in the north and west."
        ),
        "authors": ["Daniel Pryce"],
        "body": (
            "Hollin & Sons, the family-owned bakery chain based in Brackenford, plans to open forty "
            "new shops over the next two years. The company said the expansion would create around 600 "
            "jobs, most of them full-time.\n\n"
            "The chain currently runs 112 shops, largely in the Brackenford area and neighbouring "
            "counties. Managing director Ruth Hollin, the founder's granddaughter, said the new "
            "branches would focus on towns where footfall had held up better than expected.\n\n"
            "The business reported a rise in sales of just under 8% last year, helped by a growing "
            "trade in sandwiches and hot food for commuters. Profits were flat, however, as higher "
            "energy and flour costs ate into margins.\n\n"
            "'We are cautious by nature, and we will only open where we are confident a shop can pay "
            "its way,' Ms Hollin said. The first of the new branches is due to open in Tarnside in the "
            "spring."
        ),
        "hours_ago": 3.7,
        "status": "published",
        "featured": False,
        "image_alt": "Illustration: row of shopfronts with warmly lit windows on a quiet high street",
        "image_caption": "Hollin & Sons currently operates 112 bakeries.",
        "image_credit": "Newsportal illustration",
        "colour": "#6b3e1e",
    },
    {
        "category": "technology",
        "title": "Council trials sensors to give early warning of blocked drains in Lowerby",
        "slug": "council-trials-sensors-to-warn-of-blocked-drains-in-lowerby",
        "standfirst": (
            "Small battery-powered devices fitted inside 300 roadside gullies will alert engineers when "
            "water levels rise, the council says."
        ),
        "authors": ["Aisha Raman"],
        "body": (
            "Lowerby council has begun a year-long trial of small sensors designed to warn engineers "
            "when roadside drains start to block. The battery-powered devices have been fitted inside "
            "300 gullies on streets that have flooded repeatedly in recent years.\n\n"
            "Each sensor measures the water level in its gully every fifteen minutes and sends a short "
            "signal over a low-power radio network. If the level stays high after rainfall has "
            "stopped, the system flags the drain for inspection.\n\n"
            "Until now, crews have cleared most gullies on a fixed rota, regardless of whether they "
            "needed attention. Council engineer Priya Dalton said the trial could allow the team to "
            "focus on trouble spots. 'We spend a lot of time lifting covers on drains that are "
            "perfectly fine,' she said.\n\n"
            "The project is costing about £90,000, funded partly by a regional innovation grant. The "
            "council will publish an evaluation at the end of the trial before deciding whether to "
            "extend it across the district."
        ),
        "hours_ago": 4.6,
        "status": "published",
        "featured": False,
        "image_alt": ("Illustration: cross-section of a street drain with signal waves rising from a small device"),
        "image_caption": "Sensors have been placed in 300 roadside gullies across Lowerby.",
        "image_credit": "Newsportal illustration",
        "colour": "#1d5c5c",
    },
    {
        "category": "world-news",
        "title": "Coastal nations agree shared fishing quotas after week of talks in Solvika",
        "slug": "coastal-nations-agree-shared-fishing-quotas-after-talks",
        "standfirst": (
            "Negotiators from four countries settled on catch limits for cod and herring, ending months of "
            "uncertainty for fleets across the northern sea."
        ),
        "authors": ["Tomas Lind"],
        "body": (
            "Delegations from four coastal nations have agreed shared fishing quotas for the coming "
            "year after a week of talks in the harbour town of Solvika. The deal sets catch limits for "
            "cod, herring and mackerel in waters the countries manage jointly.\n\n"
            "Under the agreement, the cod quota will fall by 6%, reflecting scientific advice that "
            "stocks are recovering more slowly than hoped. Herring limits will rise slightly, while "
            "mackerel quotas remain unchanged.\n\n"
            "Fishing organisations gave the deal a cautious welcome, saying it brought certainty after "
            "months of delay. Some skippers, however, said the cut to cod would hit smaller boats "
            "hardest.\n\n"
            "The chair of the talks, Annika Veld, said the negotiations had been difficult but "
            "constructive. 'Nobody leaves with everything they wanted, which is usually a sign of a "
            "fair outcome,' she told reporters."
        ),
        "hours_ago": 27.5,
        "status": "published",
        "featured": False,
        "image_alt": "Illustration: fishing boats moored in a small harbour under a pale morning sky",
        "image_caption": "Fleets across the region had been waiting months for a settlement.",
        "image_credit": "Newsportal illustration",
        "colour": "#2b3f66",
    },
    {
        "category": "sport",
        "title": "Lowerby runner sets course record at Tarnside Hills half marathon",
        "slug": "lowerby-runner-sets-course-record-at-tarnside-hills-half",
        "standfirst": (
            "Nadia Fenn, 27, finished in one hour, nine minutes and forty seconds, beating a women's "
            "record that had stood for fourteen years."
        ),
        "authors": ["Owen Hartley"],
        "body": (
            "Lowerby athlete Nadia Fenn set a new women's course record at the Tarnside Hills half "
            "marathon, finishing in 1:09:40. The previous best had stood for fourteen years.\n\n"
            "Fenn, a primary school teacher who trains before work, pulled clear of the leading group "
            "on the long climb past Cray Reservoir. She crossed the line almost three minutes ahead of "
            "her nearest rival.\n\n"
            "'I knew the hill would decide it, so I just kept pushing,' she said. 'I didn't look at my "
            "watch until the last mile.'\n\n"
            "More than 3,500 runners took part in this year's race, which raises money for the local "
            "mountain rescue team. The men's race was won by Joel Asante of Brackenford in 1:04:12."
        ),
        "hours_ago": 33.0,
        "status": "published",
        "featured": False,
        "image_alt": "Illustration: winding road through hills with runners shown as simple silhouettes",
        "image_caption": "The Tarnside Hills course includes a long climb past Cray Reservoir.",
        "image_credit": "Newsportal illustration",
        "colour": "#2f5233",
    },
    {
        "category": "premier-league",
        "title": "Dunmere United name former academy coach as interim manager",
        "slug": "dunmere-united-name-former-academy-coach-as-interim-manager",
        "standfirst": (
            "Marta Lowe, who led the club's under-21 side for six seasons, will take charge until the end "
            "of the campaign after Alan Brisk left by mutual consent."
        ),
        "authors": ["Owen Hartley"],
        "body": (
            "Dunmere United have appointed Marta Lowe as interim manager until the end of the season "
            "following the departure of Alan Brisk. The club said Brisk had left by mutual consent "
            "after a run of one win in ten league matches.\n\n"
            "Lowe has spent six seasons in charge of the under-21 side and knows many of the younger "
            "players in the first-team squad. She will be assisted by former captain Gary Penhale, who "
            "returns to the club after two years coaching abroad.\n\n"
            "Dunmere sit sixteenth in the table, four points above the relegation places. Chair Simon "
            "Rake said the board wanted stability rather than a rushed permanent appointment.\n\n"
            "'Marta understands this club and the way we want to play,' he said. Her first match in "
            "charge is at home to Ashworth Rovers next weekend."
        ),
        "hours_ago": 49.25,
        "status": "published",
        "featured": False,
        "image_alt": "Illustration: empty dugout beside a floodlit pitch at dusk",
        "image_caption": "Dunmere United are sixteenth in the table.",
        "image_credit": "Newsportal illustration",
        "colour": "#3b3561",
    },
    {
        "category": "business",
        "title": "Small firms show growing interest in electric delivery vans, survey finds",
        "slug": "small-firms-show-growing-interest-in-electric-delivery-vans",
        "standfirst": (
            "More than a third of businesses questioned by the Small Traders Federation said they expected "
            "to switch at least one vehicle within three years."
        ),
        "authors": ["Daniel Pryce"],
        "body": (
            "More than a third of small businesses expect to replace at least one delivery vehicle "
            "with an electric model within three years, according to a survey by the Small Traders "
            "Federation. The figure has roughly doubled since the same question was asked two years "
            "ago.\n\n"
            "The federation questioned 1,200 firms, ranging from florists and caterers to plumbers and "
            "parcel couriers. Lower running costs were the most commonly cited reason for considering "
            "a switch, followed by customer expectations.\n\n"
            "Purchase price remained the biggest obstacle, with many respondents saying second-hand "
            "electric vans were still hard to find. Firms in rural areas also raised concerns about "
            "the availability of public charging points.\n\n"
            "'The direction of travel is clear, but small firms need confidence that the numbers will "
            "add up,' said the federation's policy director, Lewis Carran. The group is calling for a "
            "simpler grant scheme aimed at businesses with fewer than ten staff."
        ),
        "hours_ago": 58.0,
        "status": "published",
        "featured": False,
        "image_alt": ("Illustration: small delivery van plugged into a charging post outside a row of workshops"),
        "image_caption": "Running costs were the main reason firms gave for considering electric vans.",
        "image_credit": "Newsportal illustration",
        "colour": "#0f4c5c",
    },
    {
        "category": "politics",
        "title": "Housing minister sets out timetable for tougher insulation standards",
        "slug": "housing-minister-sets-timetable-for-insulation-standards",
        "standfirst": (
            "New homes will need to meet stricter rules on heat loss from 2028, with a consultation on the "
            "technical details opening next month."
        ),
        "authors": ["Harriet Cole"],
        "body": (
            "Housing minister Elin Marsh has set out a timetable for tougher insulation standards in "
            "new homes, with the stricter rules due to take effect in 2028. A consultation on the "
            "technical details will open next month.\n\n"
            "The changes would require better-insulated walls, floors and roofs, along with improved "
            "windows and ventilation. Officials estimate that a typical new home built to the standard "
            "would use around a quarter less energy for heating.\n\n"
            "Builders' representatives said they supported the aim but warned that costs would rise "
            "unless suppliers were given enough notice. Opposition spokesperson Rhys Tandy said the "
            "timetable was 'too slow for families facing high bills now'.\n\n"
            "Ms Marsh told the chamber that the three-year lead time was intended to give the industry "
            "certainty. 'We want these homes to be warmer and cheaper to run, and we want them built,' "
            "she said."
        ),
        "hours_ago": 75.5,
        "status": "published",
        "featured": False,
        "image_alt": "Illustration: cutaway of a house showing layered walls and a warm glow inside",
        "image_caption": "The new standards would apply to homes built from 2028.",
        "image_credit": "Newsportal illustration",
        "colour": "#7a2e2e",
    },
    {
        "category": "technology",
        "title": "Volunteer mapping project adds every footpath in the Wyrdale valley",
        "slug": "volunteer-mapping-project-adds-every-footpath-in-wyrdale",
        "standfirst": (
            "Walkers spent eighteen months recording more than 900 kilometres of paths, stiles and gates "
            "for a free online map that anyone can edit."
        ),
        "authors": ["Aisha Raman"],
        "body": (
            "A volunteer mapping group has finished recording every public footpath in the Wyrdale "
            "valley, completing a project that began eighteen months ago. The free online map now "
            "includes more than 900 kilometres of paths, along with stiles, gates and footbridges.\n\n"
            "Around 150 volunteers took part, walking routes with smartphones and handheld GPS units "
            "before checking the results against older paper records. Where the two disagreed, a "
            "second team returned to the path to confirm its line on the ground.\n\n"
            "Organiser Bethan Rowe said the map was already being used by walking groups and by the "
            "local mountain rescue team. 'Some of these paths have not appeared correctly on any map "
            "for decades,' she said.\n\n"
            "Because the data is openly licensed, developers of walking apps are free to use it. The "
            "group now plans to add information on surfaces and gradients to help people with limited "
            "mobility plan routes."
        ),
        "hours_ago": 96.0,
        "status": "published",
        "featured": False,
        "image_alt": "Illustration: contour lines and dotted footpaths winding across a green valley",
        "image_caption": "The map covers more than 900 kilometres of paths in the Wyrdale valley.",
        "image_credit": "Newsportal illustration",
        "colour": "#4a4a1f",
    },
    {
        "category": "world-news",
        "title": "Restored lighthouse on the island of Kestra reopens to visitors",
        "slug": "restored-lighthouse-on-kestra-reopens-to-visitors",
        "top_story_rank": 1,
        "standfirst": (
            "The 19th-century tower, closed for almost a decade because of storm damage, has been repaired "
            "by a local trust using traditional methods."
        ),
        "authors": ["Maya Okafor"],
        "body": (
            "A 19th-century lighthouse on the island of Kestra has reopened to visitors after a "
            "four-year restoration. The tower had been closed for almost a decade after storms damaged "
            "its lantern room and stone stairway.\n\n"
            "The work was led by the Kestra Lighthouse Trust, a small charity formed by islanders, and "
            "paid for through donations and a heritage grant. Stonemasons used lime mortar and stone "
            "from the original quarry to repair the walls.\n\n"
            "The light itself was automated many years ago and continues to guide shipping, but the "
            "keepers' cottages have been converted into a small museum. It tells the story of the "
            "families who lived and worked at the station.\n\n"
            "'Everyone on the island has a connection to this place,' said trust chair Morag Ellery. "
            "The lighthouse will open daily from April to October, weather permitting."
        ),
        "hours_ago": 121.0,
        "status": "published",
        "featured": False,
        "image_alt": ("Illustration: white lighthouse on a rocky headland with a beam crossing a dark blue sky"),
        "image_caption": "The Kestra lighthouse was closed for almost a decade.",
        "image_credit": "Newsportal illustration",
        "colour": "#2c3e50",
    },
    {
        "category": "sport",
        "title": "Brackenford clinch county cricket title on a tense final afternoon",
        "slug": "brackenford-clinch-county-cricket-title-on-final-afternoon",
        "standfirst": (
            "Needing a win on the last day, Brackenford bowled out Kirkhallow with four overs to spare to "
            "secure their first championship in twelve years."
        ),
        "authors": ["Tomas Lind"],
        "body": (
            "Brackenford won the county championship for the first time in twelve years after bowling "
            "out Kirkhallow with four overs remaining on the final afternoon of the season. They "
            "needed to win to overtake the leaders, Ferncombe, who had drawn their own match earlier "
            "in the day.\n\n"
            "Spinner Arjun Mehta took five wickets for 41, including the final two in successive "
            "balls, as Kirkhallow's tail tried to hold out for a draw. Seamer Tom Braddock chipped in "
            "with three wickets before tea.\n\n"
            "Several hundred supporters stayed at the ground to watch the closing overs. Captain Will "
            "Sharrow said the side had 'believed right until the end'.\n\n"
            "Brackenford's success caps a season in which they used eleven players from their own "
            "youth programme. The club will host a celebration open to members and families next "
            "weekend."
        ),
        "hours_ago": 150.5,
        "status": "published",
        "featured": False,
        "image_alt": "Illustration: cricket stumps and a wooden scoreboard in late afternoon sunlight",
        "image_caption": "Brackenford secured the title with four overs to spare.",
        "image_credit": "Newsportal illustration",
        "colour": "#5c3d2e",
    },
    {
        "category": "premier-league",
        "title": "Calderbridge City stadium expansion approved by planning committee",
        "slug": "calderbridge-city-stadium-expansion-approved",
        "standfirst": (
            "The plans will add about 7,000 seats to Riverside Park, although councillors attached "
            "conditions on match-day traffic and late-night noise."
        ),
        "authors": ["Maya Okafor"],
        "body": (
            "Calderbridge City's plans to expand Riverside Park have been approved by the town's "
            "planning committee, clearing the way for building work to start next summer. The scheme "
            "will add about 7,000 seats, taking capacity to just over 38,000.\n\n"
            "The club intends to rebuild the ageing north stand and fill in two corners of the ground. "
            "It says the project will be paid for through a mix of borrowing and future ticket "
            "revenue.\n\n"
            "Councillors approved the application by seven votes to two, but attached conditions on "
            "traffic management and the hours during which concerts can be held. Some residents of "
            "nearby streets had objected, citing parking problems on match days.\n\n"
            "Club chief executive Carys Nunn said the decision was 'a big moment for the club and the "
            "town'. The expansion is expected to be completed in time for the start of the season "
            "after next."
        ),
        "hours_ago": 187.0,
        "status": "published",
        "featured": False,
        "image_alt": "Illustration: curved stadium stand with construction cranes rising behind it",
        "image_caption": "The expansion would take capacity at Riverside Park above 38,000.",
        "image_credit": "Newsportal illustration",
        "colour": "#4b2e5a",
    },
    {
        "category": "politics",
        "title": "Cross-party group calls for review of postal voting in local elections",
        "slug": "cross-party-group-calls-for-review-of-postal-voting",
        "standfirst": (
            "A report by assembly members from three parties says rules on applying for postal votes vary "
            "too widely between councils and should be simplified."
        ),
        "authors": ["Harriet Cole"],
        "body": (
            "A cross-party group of assembly members has called for a review of how postal voting "
            "works in local elections. Its report says the rules for applying vary too much between "
            "councils and can confuse voters who move home.\n\n"
            "The group heard evidence from election officers, charities representing disabled voters "
            "and residents who had missed out on a vote. Several councils were found to use different "
            "deadlines and application forms.\n\n"
            "Among its recommendations are a single application form for the whole region and clearer "
            "reminders before postal votes expire. The report stops short of proposing changes to the "
            "way ballots are counted.\n\n"
            "Group chair Nia Walbrook said the aim was to make voting easier without weakening "
            "safeguards. The regional government is expected to respond within three months."
        ),
        "hours_ago": 9.0,
        "status": "draft",
        "featured": False,
        "image_alt": "Illustration: stack of ballot envelopes beside a simple post box",
        "image_caption": "The report says application rules vary widely between councils.",
        "image_credit": "Newsportal illustration",
        "colour": "#3d2b56",
    },
    {
        "category": "business",
        "title": "Harbour freight operator Northquay Logistics reports steady half-year",
        "slug": "northquay-logistics-reports-steady-half-year",
        "standfirst": (
            "Container volumes through the company's three terminals rose slightly, though higher fuel "
            "costs held back profits during the six months to June."
        ),
        "authors": ["Daniel Pryce"],
        "body": (
            "Northquay Logistics, which runs container terminals at three ports along the east coast, "
            "has reported a steady first half of the year. Volumes handled across its terminals rose "
            "by 3% compared with the same period last year.\n\n"
            "Revenue increased to £214m, but operating profit was broadly flat at £31m as higher fuel "
            "and maintenance costs weighed on margins. The company said a new crane at its Saltmere "
            "terminal had reduced waiting times for ships.\n\n"
            "Chief executive Oliver Dray said demand from retailers had been steady, although orders "
            "from manufacturers remained subdued. 'We are planning on the basis of a gradual recovery "
            "rather than a sharp rebound,' he said.\n\n"
            "The company kept its forecast for the full year unchanged. It will pay an interim "
            "dividend of 4.2p per share, in line with last year."
        ),
        "hours_ago": -20.0,
        "status": "scheduled",
        "featured": False,
        "image_alt": "Illustration: stylised harbour cranes and stacked containers against an evening sky",
        "image_caption": "Northquay handles containers at three ports along the east coast.",
        "image_credit": "Newsportal illustration",
        "colour": "#1b3a4b",
    },
]

# A reporter's story waiting on the review queue, with the note it was submitted with (articles.desk).
IN_REVIEW = {
    "category": "technology",
    "title": "Varnholm library lends out soil sensors to allotment growers",
    "slug": "varnholm-library-lends-soil-sensors",
    "standfirst": (
        "Gardeners can borrow a sensor for a month, like a book, and the readings feed a shared map of how "
        "dry the town's plots are getting."
    ),
    "body": (
        "The central library in Varnholm has added forty soil sensors to its catalogue. Members borrow "
        "one for four weeks, push it into a vegetable bed and read moisture and temperature on their "
        "phones.\n\n"
        "Librarian Petra Lunde said the idea came from allotment holders who kept asking for books about "
        "watering during last summer's dry spell. 'A book tells you what should happen. The sensor tells "
        "you what is happening in your own bed,' she said.\n\n"
        "## A shared map\n\n"
        "Borrowers can choose to share their readings. The library publishes them, without names, on a "
        "map of the town's twelve allotment sites, so growers can compare notes.\n\n"
        "The scheme is funded for a year by the regional heritage and learning fund."
    ),
    "credit_line": "Rosa Imre",
    "note": "First draft of the sensor story. The funding figure is still to be checked with the fund.",
    "image_alt": "Illustration: a small sensor pushed into a raised vegetable bed",
    "image_caption": "Sensors go out on loan like books.",
    "image_credit": "Newsportal illustration",
    "colour": "#4a6b2f",
}

# The writers credited in the bylines above ("A and B" becomes two authors, in that order).
AUTHORS = [
    {
        "name": "Maya Okafor",
        "slug": "maya-okafor",
        "bio": "Maya covers coastal towns, weather and the people who keep the lights on when both go wrong.",
        "colour": "#1f4e79",
    },
    {
        "name": "Tomas Lind",
        "slug": "tomas-lind",
        "bio": "Tomas reports on fisheries, shipping and regional diplomacy, and on cricket when the season allows.",
        "colour": "#3d6b4f",
    },
    {
        "name": "Harriet Cole",
        "slug": "harriet-cole",
        "bio": "Harriet is our political correspondent, following the regional assembly and national ministries.",
        "colour": "#7a3b5a",
    },
    {
        "name": "Owen Hartley",
        "slug": "owen-hartley",
        "bio": "Owen writes match reports and club news from the Premier League and the grounds below it.",
        "colour": "#5a2a3c",
    },
    {
        "name": "Daniel Pryce",
        "slug": "daniel-pryce",
        "bio": "Daniel explains companies, jobs and money, with a soft spot for family firms and small ports.",
        "colour": "#6b5a1f",
    },
    {
        "name": "Aisha Raman",
        "slug": "aisha-raman",
        "bio": "Aisha looks at how technology changes public services, from drain sensors to digital maps.",
        "colour": "#2a4f6b",
    },
]

# Notes added after publication; "minutes_after" counts from the article's publication time.
CORRECTIONS = [
    {
        "article": "calderbridge-city-come-from-behind-to-beat-ashworth-rovers",
        "kind": "correction",
        "text": (
            "An earlier version of this report said the winning goal came in the 89th minute. "
            "Leon Varty scored in the 87th minute."
        ),
        "minutes_after": 55,
    },
    {
        "article": "flood-barriers-hold-as-storm-surge-reaches-varnholm",
        "kind": "update",
        "text": "Engineers finished inspecting the main flood gates and found no damage.",
        "minutes_after": 352,  # after the inspection the live page reported starting
    },
]

# The running live page of the demo: the storm surge story, followed since the surge began.
LIVE_COVERAGE = {
    "article": "flood-barriers-hold-as-storm-surge-reaches-varnholm",
    "started_hours_ago": 6,
    "key_points": (
        "- The Varnholm harbour barriers held through the peak of the surge.\n"
        "- About 2,000 residents of the low-lying streets left their homes for friends' houses and shelters.\n"
        "- Ferries to the outer islands stay suspended until the next high tide has passed.\n"
        "- A smaller surge is possible on the next high tide."
    ),
    # (minutes ago, headline, text, key update, pinned)
    "updates": [
        (
            350,
            "Evacuation advice for the old fish market streets",
            "The city has asked residents of the streets around the old fish market to stay with friends or in "
            "the two school halls opened as shelters. Buses leave the town square every twenty minutes.",
            False,
            False,
        ),
        (
            240,
            "",
            "Waves are now breaking over the outer wall of the harbour. The barrier gates closed twenty minutes ago, "
            "as planned; engineers report them watertight.",
            False,
            False,
        ),
        (
            185,
            "Tide peaks, barriers hold",
            "The tide peaked a few minutes ago, about forty centimetres below the top of the main barrier, the "
            "highest level recorded in Varnholm in more than thirty years. No breach has been reported.",
            True,
            False,
        ),
        (
            120,
            "",
            "The coastal defence office says it will publish the storm's gauge readings once the surge has "
            "passed, so that residents can compare them with earlier storms.",
            False,
            False,
        ),
        (
            45,
            "Engineers begin their inspection",
            "Teams are walking the length of the barrier to check every gate and seal before the next tide. "
            "Residents are asked to keep away from the harbour wall until they have finished.",
            False,
            False,
        ),
        (
            15,
            "What to do before the next high tide",
            "Keep away from the harbour wall, check on neighbours who live alone in the low-lying streets, and "
            "follow the city's official notices rather than rumours shared online.",
            True,
            True,
        ),
    ],
}
