from . import test_qualification
from . import test_qualification_tour
from . import test_qualification_hot_paths
from . import test_qualification_server
